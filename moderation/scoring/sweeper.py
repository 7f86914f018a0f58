"""The sweeper (run by ``beat``): re-enqueue what a lost message or an outage left behind."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

import moderation.jobs as jobs
from moderation.callbacks.models import Delivery
from moderation.callbacks.service import due_deliveries
from moderation.comments.backlog import backlog
from moderation.comments.models import Comment
from moderation.db import utcnow
from moderation.privacy.retention import erase_expired_identifiers

#: However long the broker queue, each sweep still re-enqueues up to this many of each kind.
MIN_BATCH = 10


def sweep(session: Session, *, limit: int = 500) -> dict[str, int]:
    """Enqueue comments pending too long and callbacks overdue (after commit); return counts."""
    limit = _batch(limit)
    cutoff = utcnow() - dt.timedelta(seconds=current_app.config["SWEEP_AFTER_SECONDS"])
    stale = session.execute(
        select(Comment.id, Comment.revision)
        .where(
            Comment.status == "pending",
            or_(Comment.scoring_enqueued_at.is_(None), Comment.scoring_enqueued_at < cutoff),
        )
        .order_by(Comment.received_at)
        .limit(limit)
    ).all()
    if stale:
        session.execute(
            update(Comment)
            .where(Comment.id.in_([row.id for row in stale]))
            .values(scoring_enqueued_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    for row in stale:
        jobs.score(session, row.id, row.revision)
    grace = current_app.config["SWEEP_AFTER_SECONDS"]
    deliveries = due_deliveries(session, grace_seconds=grace, limit=limit)
    if deliveries:
        # Like scoring_enqueued_at above: an overdue callback is re-enqueued once per
        # grace period, not on every sweep while its message waits in a long queue
        # (which fed the backlog with duplicates exactly when it was already long).
        # Only rows still overdue: one claimed meanwhile keeps its lease.
        session.execute(
            update(Delivery)
            .where(
                Delivery.id.in_([delivery_id for delivery_id, _ in deliveries]),
                Delivery.status == "pending",
                Delivery.next_attempt_at <= utcnow() - dt.timedelta(seconds=grace),
            )
            .values(next_attempt_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    for delivery_id, site_id in deliveries:
        jobs.deliver(session, delivery_id, group=site_id)
    erase_expired_identifiers(session, limit=limit)  # GDPR: IPs kept no longer than allowed
    return {"comments": len(stale), "deliveries": len(deliveries)}


def _batch(limit: int) -> int:
    """How many of each kind to re-enqueue now: never feed a long broker queue.

    A message still waiting in the queue looks just like a lost one: when the wait
    was longer than ``SWEEP_AFTER_SECONDS`` each sweep re-enqueued what the queue
    already held, and the longer the queue the more duplicates it got (bench/faults:
    about 3,000 messages for 1,000 pending comments). With the Redis broker the
    sweeper now tops the queue up to ``limit`` messages, and adds only ``MIN_BATCH``
    of each kind to a longer one; with other brokers, or the length unknown, it
    re-enqueues up to ``limit`` as before.
    """
    if not str(current_app.config["CELERY_BROKER_URL"]).startswith(("redis://", "rediss://")):
        return limit
    waiting = backlog()
    if waiting is None:
        return limit
    return max(MIN_BATCH, limit - waiting)
