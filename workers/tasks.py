"""Celery tasks: each takes ids and calls services; the base task class commits (extensions.py)."""

from __future__ import annotations

import logging
import time

from celery import shared_task
from flask import current_app

import moderation.jobs as jobs
from moderation.callbacks.send import claim_deliveries, send_deliveries
from moderation.extensions import INFRASTRUCTURE_ERRORS, db
from moderation.scoring.pipeline import decide_ready
from moderation.scoring.sweeper import sweep as sweep_service

log = logging.getLogger(__name__)


@shared_task(name=jobs.SCORE)
def score_comment(comment_id: int, revision: int) -> None:
    """Score and decide a revision (if still pending) and other ready ones, in one commit."""
    extra = max(0, current_app.config["SCORING_BATCH"] - 1)
    try:
        decide_ready(db.session, comment_id=comment_id, revision=revision, extra=extra)
    except INFRASTRUCTURE_ERRORS:
        raise  # retried whole, with backoff
    except Exception:
        if not extra:
            raise
        # One revision that breaks the batch must not stop every batch that claims it
        # (oldest first, they all would): undo, and decide this task's revision alone.
        log.exception("scoring batch failed; deciding the task's revision alone")
        db.rollback()
        decide_ready(db.session, comment_id=comment_id, revision=revision)


@shared_task(name=jobs.DELIVER)
def deliver_callback(delivery_ids: str | list[str]) -> None:
    """Attempt decision callbacks: a batch of one site's (``jobs.deliver``), or one id."""
    ids = [delivery_ids] if isinstance(delivery_ids, str) else [str(i) for i in delivery_ids]
    leased_at = time.monotonic()
    deliveries = claim_deliveries(db.session, delivery_ids=ids)
    if not deliveries:
        return
    # Two units of work: the leases are committed before the site is called, so no
    # transaction stays open for the length of the POSTs; the attempts are the second.
    db.commit()
    send_deliveries(db.session, deliveries, leased_at=leased_at)


@shared_task(name=jobs.SWEEP)
def sweep() -> None:
    """Re-enqueue lost work."""
    sweep_service(db.session)
