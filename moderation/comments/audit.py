"""The audit trail: one ``Event`` per state change, automatic or human."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from moderation.comments.models import Comment, Event


def record_event(
    session: Session,
    comment: Comment,
    kind: str,
    *,
    actor: str,
    reason: str | None = None,
    **data: Any,
) -> Event:
    """Add an audit event for the comment's current revision."""
    event = Event(
        comment_id=comment.id,
        revision=comment.revision,
        kind=kind,
        actor=actor,
        reason=reason,
        data={k: v for k, v in data.items() if v is not None},
    )
    session.add(event)
    return event
