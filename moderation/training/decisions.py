"""Moderator decisions as labelled JSON lines, for ``moderation model train --decisions``.

A decision labels only what its reason says: a rejection for ``insult`` is toxic and an
insult, and says nothing about spam; a rejection for ``off_topic`` labels nothing and
is skipped. An approval is negative for every label but ``obscene`` (newsrooms let
mild swearing through). These labels are biased by what moderators were shown (see
docs/model.md); decisions marked ``spot_check`` in their record are blind labels of random
samples of automatic approvals (the ``spot_checks`` queue).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.comments.models import Comment, CommentRevision, Decision
from moderation.contracts import LABELS
from moderation.perspective.export import export_feedback
from moderation.sites.models import Site

REJECT_LABELS: dict[str, dict[str, int]] = {
    "insult": {"toxicity": 1, "insult": 1},
    "hate": {"toxicity": 1, "identity_attack": 1},
    "threat": {"toxicity": 1, "threat": 1},
    "obscene": {"toxicity": 1, "obscene": 1},
    "harassment": {"toxicity": 1},
    "spam": {"spam": 1},
}
APPROVE_LABELS = {label: 0 for label in LABELS if label != "obscene"}


def labels_for(action: str, reason: str | None) -> dict[str, int] | None:
    """Labels a moderator's action and reason establish, None when they establish none."""
    if action == "approve":
        return dict(APPROVE_LABELS)
    if action == "reject" and reason in REJECT_LABELS:
        return dict(REJECT_LABELS[reason])
    return None


def _latest_moderator_decisions(
    session: Session, since: dt.datetime | None
) -> dict[tuple[int, int], Any]:
    query = (
        select(
            Decision, CommentRevision.body_text, Comment.language, Comment.external_id, Site.slug
        )
        .join(Comment, Comment.id == Decision.comment_id)
        .join(Site, Site.id == Comment.site_id)
        .join(
            CommentRevision,
            (CommentRevision.comment_id == Decision.comment_id)
            & (CommentRevision.revision == Decision.revision),
        )
        .where(Decision.decided_by.like("moderator:%"))
        .order_by(Decision.id)
    )
    if since is not None:
        query = query.where(Decision.decided_at >= since)
    latest = {}
    for row in session.execute(query):
        # A later moderator decision on the same revision supersedes an earlier one.
        latest[(row[0].comment_id, row[0].revision)] = tuple(row)
    return latest


def export_decisions(
    session: Session, *, since: dt.datetime | None = None, spot_checks_only: bool = False
) -> Iterator[dict[str, Any]]:
    """Labelled rows, one per comment revision a moderator decided (their last word)."""
    latest = _latest_moderator_decisions(session, since)
    for decision, body, language, external_id, slug in latest.values():
        record = decision.record or {}
        labels = labels_for(decision.action, decision.reason)
        spot_check = record.get("spot_check") is True
        # An undone decision's last word labels nothing (the undo restored what was before).
        undone = record.get("undo_of") is not None
        if labels is None or undone or (spot_checks_only and not spot_check):
            continue
        yield {
            "id": f"{slug}/{external_id}/{decision.revision}",
            "text": body,
            "language": language or "und",
            "labels": labels,
            "action": decision.action,
            "reason": decision.reason,
            "decided_at": decision.decided_at.isoformat(),
            "spot_check": spot_check,
            "saw_model_version": record.get("model_version"),  # None: a blind spot check
        }


def labelled_rows(
    session: Session, *, since: dt.datetime | None = None, spot_checks_only: bool = False
) -> Iterator[dict[str, Any]]:
    """Moderators' decisions and blind spot checks, then suggestscore feedback (not one)."""
    yield from export_decisions(session, since=since, spot_checks_only=spot_checks_only)
    if not spot_checks_only:
        yield from export_feedback(session, since=since)
