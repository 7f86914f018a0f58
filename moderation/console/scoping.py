"""The sites the signed-in user works on, once per request (``accounts/scopes.py``)."""

from __future__ import annotations

from flask import g

from moderation.accounts.scopes import site_scope
from moderation.exceptions import NotFound
from moderation.extensions import db


def my_sites() -> frozenset[int] | None:
    """The ids of the user's sites, or None for every site."""
    if "sites" not in g:
        g.sites = site_scope(db.session, g.user)
    sites: frozenset[int] | None = g.sites
    return sites


def require_site(site_id: int) -> None:
    """404 unless the user works on this site (out of scope looks like absent)."""
    sites = my_sites()
    if sites is not None and site_id not in sites:
        raise NotFound("No such item.")
