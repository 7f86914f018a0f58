"""Celery tasks: each takes ids and calls services; the base task class commits (extensions.py)."""

from __future__ import annotations

import logging

from celery import shared_task
from flask import current_app

import moderation.jobs as jobs
from moderation.callbacks.service import claim_delivery, send_delivery
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
def deliver_callback(delivery_id: str) -> None:
    """Attempt one decision callback."""
    delivery = claim_delivery(db.session, delivery_id=delivery_id)
    if delivery is None:
        return
    # Two units of work: the lease is committed before the site is called, so no
    # transaction stays open for the length of a POST; the attempt is the second.
    db.commit()
    send_delivery(db.session, delivery)


@shared_task(name=jobs.SWEEP)
def sweep() -> None:
    """Re-enqueue lost work."""
    sweep_service(db.session)
