"""Notices of illegal content (DSA art. 16): a reader report that one alone puts in front
of a moderator, ahead of every other report, and whose outcome the notifier is told.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.callbacks.service import enqueue_delivery
from moderation.comments.audit import record_event
from moderation.comments.models import Comment, Decision
from moderation.db import utcnow
from moderation.dsa.hooks import notice_outcome
from moderation.dsa.knowledge import record_knowledge
from moderation.exceptions import Conflict
from moderation.flags.models import Flag
from moderation.queue.items import open_item
from moderation.queue.models import ReviewItem

#: Above any reader-report priority (weights × 10): notices come first in ``reported``.
NOTICE_PRIORITY = 1_000_000_000


def add_notice(
    session: Session, *, comment: Comment, reporter: dict[str, Any], data: dict[str, Any]
) -> tuple[Flag, bool]:
    """Record a notice (one per notifier per comment) and act on it; flushed."""
    _check_open(comment)
    flag = session.scalar(
        select(Flag).where(
            Flag.comment_id == comment.id,
            Flag.reporter_source == reporter["source"],
            Flag.reporter_id == reporter["id"],
        )
    )
    if flag is not None and flag.reason == "illegal":
        return flag, False  # the same notice again: the first stands
    if flag is None:  # a reader's earlier report by the same person becomes the notice
        flag = Flag(comment_id=comment.id, site_id=comment.site_id, weight=0.0)
        flag.reporter_source, flag.reporter_id = reporter["source"], reporter["id"]
        flag.low_standing = False
        session.add(flag)
    flag.reason, flag.note = "illegal", data.get("note")
    flag.law, flag.explanation, flag.bona_fide = data["law"], data["explanation"], True
    flag.notifier_name, flag.notifier_email = reporter["name"], reporter["email"]
    session.flush()
    actor = f"notifier:{reporter['source']}:{reporter['id']}"
    record_event(session, comment, "notice", actor=actor, reason="illegal", notice=flag.id)
    record_knowledge(session, comment, source="notice", actor=actor)
    _act(session, comment, flag)
    return flag, True


def _check_open(comment: Comment) -> None:
    if comment.status == "deleted":
        raise Conflict(
            "This comment was deleted by the site; there is nothing left to act on.",
            code="comment_deleted",
        )
    if comment.status == "pending":
        # Scoring takes seconds; acting now would race the automatic decision.
        raise Conflict(
            "This comment is being moderated; send the notice again in a few seconds.",
            code="comment_pending",
            retry_after=5,
        )


def _act(session: Session, comment: Comment, flag: Flag) -> None:
    """Published or held: to the top of ``reported``. Already removed: tell the notifier."""
    if comment.status == "rejected":
        decision = session.scalar(
            select(Decision)
            .where(Decision.comment_id == comment.id)
            .order_by(Decision.id.desc())
            .limit(1)
        )
        if decision is not None:
            flag.notified_at = utcnow()
            extra = {"notice": notice_outcome(flag, decision)}
            enqueue_delivery(
                session,
                comment=comment,
                decision=decision,
                supersede=False,
                event="notice.decided",
                extra=extra,
            )
        return
    open_reasons = session.scalar(
        select(ReviewItem.reasons).where(
            ReviewItem.comment_id == comment.id, ReviewItem.status == "open"
        )
    )
    reasons = ["illegal", *(open_reasons or [])]
    open_item(session, comment=comment, queue="reported", priority=NOTICE_PRIORITY, reasons=reasons)
    comment.queue, comment.priority = "reported", NOTICE_PRIORITY
    record_event(session, comment, "reported", actor="notice", priority=NOTICE_PRIORITY)
