"""The reasons a site's moderators may pick to reject: the site's own list, or the default.

One source of truth: the configured ``MODERATION_REASON_CODES`` (which every decision is
also checked against, with the house rules' reasons); a site only chooses which of those
grounds its reject dialog offers (``moderation sites set-reasons``). A held reason the
site does not offer (a rule's ``links``) pre-selects one of its group (``spam``).
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from moderation.labels import NOT_GROUNDS, reject_group, reject_order
from moderation.sites.models import Site
from moderation.sites.service import SiteError, get_site


def default_reasons() -> list[str]:
    """The configured reasons that are grounds for rejection, grouped."""
    return reject_order(tuple(current_app.config["REASON_CODES"]))


def site_reasons(site: Site) -> list[str]:
    """The reasons the site's reject dialog offers, grouped (its own list, else the default)."""
    if not site.reject_reasons:
        return default_reasons()
    return reject_order(site.reject_reasons.split(","))


def set_site_reasons(session: Session, *, slug: str, codes: list[str] | None) -> Site:
    """Give a site its reject reasons (``None``: back to the default); each a configured one."""
    site = get_site(session, slug)
    if site is None:
        raise SiteError(f"No site {slug!r}.")
    if codes is None:
        site.reject_reasons = None
    else:
        wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
        allowed = set(current_app.config["REASON_CODES"])
        refused = [c for c in wanted if c in NOT_GROUNDS]
        if refused:
            raise SiteError(f"Not a ground for rejection: {', '.join(refused)}.")
        unknown = [c for c in wanted if c not in allowed]
        if unknown:
            names = ", ".join(sorted(allowed - NOT_GROUNDS))
            raise SiteError(f"Unknown reason {', '.join(unknown)}; allowed: {names}.")
        if not wanted:
            raise SiteError("Give at least one reason, or --default.")
        site.reject_reasons = ",".join(reject_order(wanted))
    session.flush()
    return site


def preselect(held: list[str], offered: list[str]) -> str:
    """The reason to pre-select: the first held one offered, else one of its group, else other."""
    for code in held:
        if code in offered:
            return code
    for code in held:
        if code in NOT_GROUNDS:
            continue
        group = [c for c in offered if reject_group(c) == reject_group(code)]
        if group and reject_group(code) != "other":
            return group[0]
    if "other" in offered:
        return "other"
    return offered[0] if offered else "other"
