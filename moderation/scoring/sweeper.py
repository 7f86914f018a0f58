"""The sweeper (run by ``beat``): re-enqueue what a lost message or an outage left behind."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import or_, select, update

from moderation.callbacks.service import due_deliveries
from moderation.comments.models import Comment
from moderation.db import commit, utcnow
from moderation.extensions import db
from moderation.scoring.seam import seam


def sweep(*, limit: int = 500) -> dict[str, int]:
    """Enqueue comments pending too long and callbacks overdue; return the counts."""
    session = db.session
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
    commit(session)
    for row in stale:
        seam().score(row.id, row.revision)
    grace = current_app.config["SWEEP_AFTER_SECONDS"]
    deliveries = due_deliveries(session, grace_seconds=grace, limit=limit)
    for delivery_id in deliveries:
        seam().deliver(delivery_id)
    return {"comments": len(stale), "deliveries": len(deliveries)}
