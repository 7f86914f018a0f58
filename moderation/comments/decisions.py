"""Writing a decision: one compare-and-set on the comment, then record, audit and callback."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from moderation.authors.service import move_status
from moderation.callbacks.service import enqueue_delivery
from moderation.comments.audit import record_event
from moderation.comments.models import Comment, Decision
from moderation.db import commit, utcnow
from moderation.queue.items import open_item, withdraw_items

STATUS_FOR_ACTION = {"approve": "approved", "reject": "rejected", "review": "queued"}


def apply_decision(
    session: Session,
    *,
    comment: Comment,
    revision: int,
    expected_status: str,
    record: dict[str, Any],
    queue: str | None = None,
    priority: int = 0,
    language: str | None = None,
) -> Decision | None:
    """Decide ``revision`` if the comment is still in ``expected_status``; None if it moved on.

    The conditional UPDATE is the guard on every backend: a newer revision, a
    deletion, or a moderator's decision committed first makes it match no row,
    so an automatic decision can never overwrite a human one.
    """
    action = record["action"]
    status = STATUS_FOR_ACTION[action]
    queue = queue if queue is not None else ("pending" if action == "review" else None)
    now = utcnow()
    values: dict[str, Any] = {"status": status, "queue": queue, "priority": priority}
    values.update(decided_at=now, updated_at=now)
    if language:
        values["language"] = language
    moved = session.execute(
        update(Comment)
        .where(
            Comment.id == comment.id,
            Comment.revision == revision,
            Comment.status == expected_status,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        return None
    # Only a comment already decided once (or queued) can have an open item or an
    # unsent callback; a first automatic decision skips those statements.
    first = expected_status == "pending" and comment.queue is None
    for key, value in values.items():  # what the UPDATE wrote, without re-reading it
        set_committed_value(comment, key, value)
    if queue:
        reasons = [record.get("reason") or "review", *record.get("labels", [])]
        open_item(
            session,
            comment=comment,
            queue=queue,
            priority=priority,
            reasons=reasons,
            replace=not first,
        )
    elif not first:
        withdraw_items(session, comment_id=comment.id)
    decision = _add_decision(session, comment, revision, status, record)
    move_status(session, author_id=comment.author_id, old=expected_status, new=status)
    record_event(
        session,
        comment,
        "decided",
        actor=record["decided_by"],
        reason=record.get("reason"),
        action=action,
        status=status,
        ruleset_version=record.get("ruleset_version"),
        model_version=record.get("model_version"),
        note=record.get("note"),
    )
    enqueue_delivery(session, comment=comment, decision=decision, supersede=not first)
    try:
        commit(session)
    except IntegrityError:
        # Another worker wrote the automatic decision for this revision first.
        session.rollback()
        return None
    return decision


def _add_decision(
    session: Session, comment: Comment, revision: int, status: str, record: dict[str, Any]
) -> Decision:
    decision = Decision(
        comment_id=comment.id,
        revision=revision,
        action=record["action"],
        status=status,
        decided_by=record["decided_by"],
        reason=record.get("reason"),
        record=record,
        ruleset_version=record.get("ruleset_version"),
        model_version=record.get("model_version"),
        decided_at=utcnow(),
    )
    session.add(decision)
    session.flush()
    return decision
