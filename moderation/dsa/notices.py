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
    # Locked, so a scoring task deciding the comment meanwhile sees this notice (and routes
    # it, ``notify_notifiers``) or has committed before we read its status.
    session.refresh(comment, with_for_update=True)
    if comment.status == "deleted":
        raise Conflict(
            "This comment was deleted by the site; there is nothing left to act on.",
            code="comment_deleted",
        )
    flag = _notice_flag(session, comment, reporter)
    if flag.id is not None and flag.reason == "illegal":
        return flag, False  # the same notice again: the first stands
    flag.reason, flag.note = "illegal", data.get("note")
    flag.law, flag.explanation, flag.bona_fide = data["law"], data["explanation"], True
    flag.notifier_name, flag.notifier_email = reporter["name"], reporter["email"]
    session.flush()
    actor = f"notifier:{reporter['source']}:{reporter['id']}"
    record_event(session, comment, "notice", actor=actor, reason="illegal", notice=flag.id)
    record_knowledge(session, comment, source="notice", actor=actor)
    if comment.status != "pending":  # a pending one is routed by its automatic decision
        _route(session, comment, _latest_decision(session, comment), [flag])
    return flag, True


def _notice_flag(session: Session, comment: Comment, reporter: dict[str, Any]) -> Flag:
    """The notifier's flag on the comment: an earlier reader report of theirs, or a new one."""
    flag = session.scalar(
        select(Flag).where(
            Flag.comment_id == comment.id,
            Flag.reporter_source == reporter["source"],
            Flag.reporter_id == reporter["id"],
        )
    )
    if flag is None:  # a notice is never weighed like a reader's report
        flag = Flag(comment_id=comment.id, site_id=comment.site_id, weight=0.0)
        flag.reporter_source, flag.reporter_id = reporter["source"], reporter["id"]
        flag.low_standing = False
        session.add(flag)
    return flag


def _latest_decision(session: Session, comment: Comment) -> Decision | None:
    query = select(Decision).where(Decision.comment_id == comment.id)
    return session.scalar(query.order_by(Decision.id.desc()).limit(1))


def _route(
    session: Session, comment: Comment, decision: Decision | None, notices: list[Flag]
) -> None:
    """Removed already: tell the notifiers. Published or held: the top of ``reported``."""
    if comment.status == "rejected":
        if decision is not None:
            _tell(session, comment, decision, notices)
        return
    open_reasons = session.scalar(
        select(ReviewItem.reasons).where(
            ReviewItem.comment_id == comment.id, ReviewItem.status == "open"
        )
    )
    reasons = ["illegal", *(r for r in open_reasons or [] if r != "illegal")]
    open_item(session, comment=comment, queue="reported", priority=NOTICE_PRIORITY, reasons=reasons)
    comment.queue, comment.priority = "reported", NOTICE_PRIORITY
    record_event(session, comment, "reported", actor="notice", priority=NOTICE_PRIORITY)


def notify_notifiers(session: Session, *, comment: Comment, decision: Decision) -> None:
    """After a decision, the comment's unanswered notices: answered, or routed to a human.

    Art. 16(5): the notifier learns the outcome and their redress without undue delay.
    A moderator's decision answers them. An automatic one answers them only when it
    removed the comment; otherwise it sends them to ``reported`` (a notice on a comment
    still being scored, or on a new revision, is never left to the rules alone).
    """
    unanswered = list(
        session.scalars(
            select(Flag).where(
                Flag.comment_id == comment.id, Flag.reason == "illegal", Flag.notified_at.is_(None)
            )
        )
    )
    if not unanswered:
        return
    if decision.decided_by == "auto":
        _route(session, comment, decision, unanswered)
    else:
        _tell(session, comment, decision, unanswered)


def _tell(session: Session, comment: Comment, decision: Decision, notices: list[Flag]) -> None:
    for notice in notices:
        notice.notified_at = utcnow()
        enqueue_delivery(
            session,
            comment=comment,
            decision=decision,
            supersede=False,
            event="notice.decided",
            extra={"notice": notice_outcome(notice, decision)},
        )


def notice_outcome(notice: Flag, decision: Decision) -> dict[str, Any]:
    """What the site tells its notifier (their own identity stays with the site)."""
    return {
        "id": notice.id,
        "reporter": {"id": notice.reporter_id, "source": notice.reporter_source},
        "received_at": notice.created_at.isoformat(),
        "outcome": "removed" if decision.status == "rejected" else "kept",
        "decided_at": decision.decided_at.isoformat(),
        "automated": decision.decided_by == "auto",
        "redress": (
            "Le signalant peut contester la décision auprès du site (réclamation interne), "
            "saisir un organisme de règlement extrajudiciaire des litiges certifié "
            "(art. 21 DSA) ou le juge."
        ),
    }
