"""Decision callbacks: an outbox written with the decision, delivered with retries. SPEC §4."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

import moderation.jobs as jobs
from moderation.callbacks.models import Delivery
from moderation.db import utcnow

if TYPE_CHECKING:
    from moderation.comments.models import Comment, Decision


def supersede_pending(session: Session, *, comment_id: int) -> None:
    """Mark undelivered callbacks of a comment as superseded by a newer outcome."""
    session.execute(
        update(Delivery)
        .where(Delivery.comment_id == comment_id, Delivery.status == "pending")
        .where(Delivery.event == "comment.moderated")  # notice/appeal outcomes still count
        .values(status="superseded")
        .execution_options(synchronize_session=False)
    )


def cancel_pending(session: Session, *, site_id: int) -> int:
    """Stop every unsent callback of a site (its receiver is gone); how many were stopped."""
    result = session.execute(
        update(Delivery)
        .where(Delivery.site_id == site_id, Delivery.status == "pending")
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def hold_pending(session: Session, *, comment_id: int, seconds: float) -> list[str]:
    """Delay a comment's unsent callbacks by ``seconds`` (the console's undo window).

    The delivery enqueued at decision time then finds them not yet due and does nothing;
    the one enqueued here with ``countdown`` sends the outcome still standing (an undo
    supersedes it first). The sweeper catches the message if the broker loses it.
    """
    due = utcnow() + dt.timedelta(seconds=seconds)
    rows = session.execute(
        select(Delivery.id, Delivery.site_id).where(
            Delivery.comment_id == comment_id,
            Delivery.status == "pending",
            Delivery.attempts == 0,
        )
    ).all()
    ids = [row.id for row in rows]
    if ids:
        session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids))
            .values(next_attempt_at=due)
            .execution_options(synchronize_session=False)
        )
    for row in rows:
        jobs.deliver(session, row.id, countdown=seconds, group=row.site_id)
    return ids


def enqueue_delivery(
    session: Session,
    *,
    comment: Comment,
    decision: Decision,
    supersede: bool = True,
    event: str = "comment.moderated",
    extra: dict[str, Any] | None = None,
) -> Delivery:
    """Write the callback for a decision; it is sent once the transaction commits.

    ``event`` and ``extra`` (more top-level keys, e.g. ``statement``) serve the DSA
    callbacks (``notice.decided``, ``appeal.decided``) through the same outbox.
    """
    if supersede:
        supersede_pending(session, comment_id=comment.id)
    shown = {
        "id": comment.external_id,
        "revision": decision.revision,
        "status": decision.status,
        "reason": decision.reason,
        "decided_by": decision.decided_by,
    }
    if message := (decision.record or {}).get("message"):
        shown["message"] = message  # the moderator's words to the author (optional)
    delivery = Delivery(
        id=str(uuid.uuid4()),
        site_id=comment.site_id,
        comment_id=comment.id,
        decision_id=decision.id,
        revision=decision.revision,
        comment=shown,
        status="pending",
        attempts=0,
        next_attempt_at=utcnow(),
        event=event,
        extra=extra,
    )
    session.add(delivery)
    jobs.deliver(session, delivery.id, group=delivery.site_id)
    return delivery


def due_deliveries(
    session: Session, *, grace_seconds: float = 30, limit: int = 500
) -> list[tuple[str, int]]:
    """Overdue pending deliveries (lost messages, long backoffs) and their sites."""
    cutoff = utcnow() - dt.timedelta(seconds=grace_seconds)
    rows = session.execute(
        select(Delivery.id, Delivery.site_id)
        .where(Delivery.status == "pending", Delivery.next_attempt_at <= cutoff)
        .order_by(Delivery.next_attempt_at)
        .limit(limit)
    )
    return [(row.id, row.site_id) for row in rows]
