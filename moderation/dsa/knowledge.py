"""When the service first knew of a comment (loi 1982 art. 93-3; DSA art. 16(3)).

A ``knowledge`` event in the comment's history, once: on the notice that reached it, or
the first time a moderator was shown it, whichever came first.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.comments.audit import record_event
from moderation.comments.models import Comment, Event


def record_knowledge(session: Session, comment: Comment, *, source: str, actor: str) -> None:
    """Record the first knowledge of ``comment`` (a no-op when it is recorded already)."""
    known = session.scalar(
        select(Event.id).where(Event.comment_id == comment.id, Event.kind == "knowledge")
    )
    if known is None:
        record_event(session, comment, "knowledge", actor=actor, source=source)


def shown_to_moderator(session: Session, comment_ids: list[int], *, actor: str) -> None:
    """A page of the queue was shown: first knowledge of the comments not known before."""
    if not comment_ids:
        return
    known = set(
        session.scalars(
            select(Event.comment_id).where(
                Event.comment_id.in_(comment_ids), Event.kind == "knowledge"
            )
        )
    )
    fresh = [cid for cid in dict.fromkeys(comment_ids) if cid not in known]
    if not fresh:  # every page but a comment's first showing: no second query
        return
    for comment in session.scalars(select(Comment).where(Comment.id.in_(fresh))):
        record_event(session, comment, "knowledge", actor=actor, source="moderator_view")
