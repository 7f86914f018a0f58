"""Live-update hints for open consoles: published on Redis pub/sub once a transaction commits.

A leaf like ``jobs.py``: services say *that* something changed (``events.publish(session,
kind="opened", queue="pending")``); the console's event stream relays it. An event is only
a hint, never the truth: consoles re-read the database on each one, and poll without Redis.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import redis
from flask import current_app
from sqlalchemy.orm import Session

from moderation.db import on_commit

log = logging.getLogger(__name__)

CHANNEL = "moderation:console"


def publish(session: Session, **event: Any) -> None:
    """Announce ``event`` once ``session`` commits (never if it rolls back); no Redis: nothing."""
    client: redis.Redis | None = current_app.extensions.get("redis")
    if client is None:
        return
    payload = json.dumps(event, separators=(",", ":"), default=str)

    def send() -> None:
        try:
            client.publish(CHANNEL, payload)
        except (redis.RedisError, OSError) as exc:  # consoles still catch up by polling
            log.warning("console event not published", extra={"error": str(exc)})

    on_commit(session, send)
