"""The ``audit`` queue: blind items, the label's record, and undoing a label.

An audit item is an automatic approval picked at random (scoring/audits.py). The
moderator sees the text and its context only, never the scores, rule hits, explanations,
reader reports or the author's standing, so the label does not echo the model (anchoring,
docs/model.md). A rejection overturns the approval through the normal decision path (the
site hears ``rejected``, a statement of reasons is issued); an approval confirms it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from moderation.accounts.models import User
from moderation.comments.models import Comment
from moderation.comments.service import current_decision
from moderation.db import utcnow

QUEUE = "audit"
#: The only parts of the comment record an audit item shows.
_SHOWN = ("id", "site", "revision", "body", "parent", "language", "article", "links")


def blind(view: dict[str, Any]) -> dict[str, Any]:
    """A presented queue item with everything but the comment's text and context left out."""
    comment = {k: v for k, v in view["comment"].items() if k in _SHOWN}
    return {
        "id": view["id"],
        "queue": view["queue"],
        "priority": view["priority"],
        "reasons": [QUEUE],
        "created_at": view["created_at"],
        "comment": comment,
        "author": {},
        "flags": [],
        "claim": view["claim"],
        "blind": True,
    }


def audit_record(
    session: Session,
    comment: Comment,
    user: User,
    action: str,
    reason: str | None,
    note: str | None,
) -> dict[str, Any]:
    """A blind label's decision record: ``audit`` for the exporter, no evidence copied."""
    sampled = current_decision(session, comment)  # the automatic approval that was sampled
    return {
        "action": action,
        "decided_by": f"moderator:{user.name}",
        "reason": reason,
        "note": note,
        "audit": True,
        "blind": True,
        "audited_decision": sampled.id if sampled else None,
        "audited_model_version": sampled.model_version if sampled else None,
        "labelled_at": utcnow().isoformat(),
        "decided_at": utcnow().isoformat(),
    }


def restored_record(label: dict[str, Any], user: User, undone_id: int) -> dict[str, Any]:
    """The record standing after a label is undone: the approval again, exported by nobody."""
    return {
        "action": "approve",
        "decided_by": f"moderator:{user.name}",
        "reason": None,
        "undo_of": undone_id,
        "audited_decision": label.get("audited_decision"),
        "decided_at": utcnow().isoformat(),
    }
