"""Back-pressure: new comments refused with 503 before anything is stored (``MAX_BACKLOG``).

The backlog is the scoring tasks waiting in the broker, as Wikimedia ORES did with its
Redis queue; without Redis, the comments still pending.
"""

from __future__ import annotations

import time
from typing import Any

import redis
from flask import current_app
from sqlalchemy import func, select

from moderation.comments.models import Comment
from moderation.exceptions import Overloaded
from moderation.extensions import db

_BACKLOG_TTL = 1.0  # seconds a process trusts its last backlog reading


def backlog() -> int | None:
    """Scoring tasks waiting in the broker (or comments pending, without Redis); None if unknown."""
    cached = current_app.extensions.get("backlog")
    now = time.monotonic()
    if cached and now - cached[0] < _BACKLOG_TTL:
        last: int | None = cached[1]
        return last
    value = _read_backlog()
    current_app.extensions["backlog"] = (now, value)
    return value


def _read_backlog() -> int | None:
    client: redis.Redis | None = current_app.extensions["broker_redis"]
    try:
        if client is not None:
            return int(client.llen("moderation"))
        return db.session.scalar(select(func.count()).where(Comment.status == "pending")) or 0
    except (redis.RedisError, OSError):
        return None  # unknown: accept, the comment is stored and the sweeper catches up


def check_backpressure() -> None:
    """503 with Retry-After when the backlog is over the configured limit."""
    limit: Any = current_app.config["MAX_BACKLOG"]
    if not limit:
        return
    waiting = backlog()
    if waiting is not None and waiting > limit:
        raise Overloaded(f"Scoring backlog is over {limit}; retry later.", retry_after=5)
