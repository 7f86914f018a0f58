"""Identification data (IP address, user agent) kept ``MODERATION_IP_RETENTION_DAYS``, then erased.

Décret 2021-1362 keeps a host's connection data one year; past that nothing allows
keeping it (GDPR art. 5(1)(e)). The beat sweeper calls this on every run.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.comments.models import CommentRevision
from moderation.db import utcnow

#: Keys of the stored payload that identify the connection, not the comment.
IDENTIFIERS = ("ip", "user_agent")


def strip_identifiers(revision: CommentRevision) -> None:
    """Drop the revision's IP address and user agent (mark it done either way)."""
    payload = revision.payload or {}
    if any(key in payload for key in IDENTIFIERS):
        revision.payload = {k: v for k, v in payload.items() if k not in IDENTIFIERS}
    revision.identifiers_erased_at = utcnow()


def erase_expired_identifiers(session: Session, *, limit: int = 500) -> int:
    """Erase identifiers older than the retention period, ``limit`` revisions at a time."""
    days = int(current_app.config["IP_RETENTION_DAYS"])
    cutoff = utcnow() - dt.timedelta(days=days)
    due = list(
        session.scalars(
            select(CommentRevision)
            .where(
                CommentRevision.identifiers_erased_at.is_(None),
                CommentRevision.received_at < cutoff,
            )
            .order_by(CommentRevision.received_at)
            .limit(limit)
        )
    )
    for revision in due:
        strip_identifiers(revision)
    session.flush()
    return len(due)
