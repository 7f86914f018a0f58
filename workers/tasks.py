"""Celery tasks. Each takes ids and calls one service function; policy lives in the base task."""

from __future__ import annotations

from celery import shared_task

from moderation.callbacks.service import attempt_delivery
from moderation.extensions import db
from moderation.scoring.pipeline import decide_comment
from moderation.scoring.sweeper import sweep as sweep_service


@shared_task(name="workers.score_comment")
def score_comment(comment_id: int, revision: int) -> None:
    """Score and decide one comment revision (a no-op if it moved on)."""
    decide_comment(comment_id=comment_id, revision=revision)


@shared_task(name="workers.deliver_callback")
def deliver_callback(delivery_id: str) -> None:
    """Attempt one decision callback."""
    attempt_delivery(db.session, delivery_id=delivery_id)


@shared_task(name="workers.sweep")
def sweep() -> None:
    """Re-enqueue lost work."""
    sweep_service()
