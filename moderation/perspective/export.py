"""``suggestscore`` feedback as labelled lines for ``moderation model train --decisions``.

The records have the shape of moderator decisions (classifier/decisions.py) plus
``"source": "perspective_feedback"``; a later suggestion for the same ``clientToken``
(Coral sends ``comment:<id>`` on each status change) supersedes an earlier one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.perspective.models import Feedback
from moderation.sites.models import Site

SOURCE = "perspective_feedback"


def export_feedback(
    session: Session, *, since: dt.datetime | None = None
) -> Iterator[dict[str, Any]]:
    """One labelled row per site and client token (or per call without a token)."""
    query = (
        select(Feedback, Site.slug).join(Site, Site.id == Feedback.site_id).order_by(Feedback.id)
    )
    if since is not None:
        query = query.where(Feedback.created_at >= since)
    latest: dict[tuple[int, str], tuple[Feedback, str]] = {}
    for feedback, slug in session.execute(query):
        latest[(feedback.site_id, feedback.client_token or f"#{feedback.id}")] = (feedback, slug)
    for (_, token), (feedback, slug) in latest.items():
        yield _record(feedback, slug, token)


def _record(feedback: Feedback, slug: str, token: str) -> dict[str, Any]:
    rejected = any(value == 1 for value in feedback.labels.values())
    return {
        "id": f"{slug}/perspective/{token}",
        "text": feedback.text,
        "language": feedback.language,
        "labels": dict(feedback.labels),
        "action": "reject" if rejected else "approve",
        "reason": None,
        "decided_at": feedback.created_at.isoformat(),
        "spot_check": False,
        "saw_model_version": None,
        "source": SOURCE,
    }
