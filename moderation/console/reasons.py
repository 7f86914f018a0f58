"""The reject dialog's reasons for the sites a moderator sees, and each card's pre-selection."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.console.scoping import my_sites
from moderation.labels import reject_group, reject_order
from moderation.sites.models import Site
from moderation.sites.reasons import preselect, site_reasons


def visible_sites(session: Session) -> dict[str, Site]:
    """The sites the signed-in user may see, by slug (in slug order)."""
    query = select(Site).order_by(Site.slug)
    scope = my_sites()
    if scope is not None:
        query = query.where(Site.id.in_(scope))
    return {site.slug: site for site in session.scalars(query)}


#: The dialog's keys, in order: 1–9, 0, then letters (none a reason dialog needs for itself).
KEYS = "1234567890abcdeghilmnopqrstvwy"


def dialog_reasons(sites: dict[str, Site]) -> list[dict[str, Any]]:
    """Every reason some site offers, grouped, keyed; ``sites``: who offers it (None: all)."""
    offered = {slug: site_reasons(site) for slug, site in sites.items()}
    every = reject_order([code for codes in offered.values() for code in codes]) or ["other"]
    groups: list[dict[str, Any]] = []
    for n, code in enumerate(every):
        by = [slug for slug, codes in offered.items() if code in codes]
        if not groups or groups[-1]["group"] != reject_group(code):
            groups.append({"group": reject_group(code), "reasons": []})
        groups[-1]["reasons"].append(
            {
                "code": code,
                "key": KEYS[n] if n < len(KEYS) else "",
                "sites": None if len(by) == len(sites) else by,
            }
        )
    return groups


def annotate(cards: list[dict[str, Any]], sites: dict[str, Site]) -> None:
    """Give each card its site's time zone and the reason its reject dialog pre-selects."""
    for card in cards:
        site = sites.get(card["site"])
        if site is None:
            continue
        card["time_zone"] = site.time_zone
        if card.get("blind"):
            continue
        held = [card.get("held_reason"), *(h.get("reason") for h in card.get("hits", []))]
        held += list(card.get("reasons") or [])
        card["reject_reason"] = preselect([str(c) for c in held if c], site_reasons(site))
