"""Readiness checks for the database and the broker."""

from __future__ import annotations

from celery import Celery
from sqlalchemy import text

from moderation.extensions import db


def database_ok() -> str | None:
    """None when the database answers, else a short error."""
    try:
        with db.engine.connect() as conn:  # its own connection: no unit of work touched
            conn.execute(text("SELECT 1"))
        return None
    except Exception as exc:  # readiness reports any failure, it never raises
        return type(exc).__name__


def broker_ok(celery: Celery) -> str | None:
    """None when the broker accepts a connection, else a short error."""
    try:
        with celery.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return None
    except Exception as exc:  # readiness reports any failure, it never raises
        return type(exc).__name__
