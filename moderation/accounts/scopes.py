"""Users scoped to sites: a scoped moderator sees and decides only those sites' items.

A user with no site listed keeps today's reach (every site). Out of scope answers exactly
as absent does (404), so a scoped moderator learns nothing about other sites.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.accounts.models import User, UserSite
from moderation.exceptions import NotFound
from moderation.sites.models import Site
from moderation.sites.service import get_site, get_site_or_404


class ScopeError(ValueError):
    """A scope names a site that does not exist."""


def site_scope(session: Session, user: User) -> frozenset[int] | None:
    """The ids of the sites ``user`` works on, or None for every site."""
    ids = session.scalars(select(UserSite.site_id).where(UserSite.user_id == user.id)).all()
    return frozenset(ids) if ids else None


def set_sites(session: Session, user: User, slugs: Iterable[str]) -> list[str]:
    """Scope ``user`` to the sites named (flushed); the slugs stored."""
    found = []
    for slug in dict.fromkeys(slugs):
        site = get_site(session, slug)
        if site is None:
            raise ScopeError(f"No site {slug!r}.")
        session.add(UserSite(user_id=user.id, site_id=site.id))
        found.append(site.slug)
    session.flush()
    return found


def in_scope(session: Session, user: User, site_id: int) -> bool:
    """Whether ``user`` may see the site with this id."""
    scope = site_scope(session, user)
    return scope is None or site_id in scope


def visible_site(session: Session, user: User, slug: str) -> Site:
    """The site named, if ``user`` may see it; else 404 as for a site that does not exist."""
    site = get_site_or_404(session, slug)
    if not in_scope(session, user, site.id):
        raise NotFound(f"No site {slug!r}.")
    return site
