"""Abuse and overload protection: rate limits (429) and back-pressure (503).

Webhook routes are limited per site once signed, every other route per client address;
counters live in Redis (``REDIS_URL``) so every web process shares them (the
embedded default, without Redis, counts per process). Back-pressure refuses new
comments with 503 before storing anything when the scoring backlog is over
``MAX_BACKLOG``, as Wikimedia ORES did with its Redis queue.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse_many
from sqlalchemy import func, select

from moderation.comments.models import Comment
from moderation.exceptions import Overloaded, RateLimited
from moderation.extensions import db

_BACKLOG_TTL = 1.0  # seconds a process trusts its last backlog reading
_EXEMPT = "__rate_exempt__"

F = TypeVar("F", bound=Callable[..., Any])


def exempt(view: F) -> F:
    """Mark a view as outside the per-address limit (monitoring, signed webhooks)."""
    setattr(view, _EXEMPT, True)
    return view


def _exempt_now() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return view is None or getattr(view, _EXEMPT, False)


def init_limits(app: Flask) -> None:
    """One limiter per app, with the app's limits and storage (Redis when configured)."""
    app.extensions["rate_limiter"] = Limiter(
        get_remote_address,
        app=app,
        default_limits=[app.config["RATE_LIMIT_CLIENT"]],
        default_limits_exempt_when=_exempt_now,
        storage_uri=app.config["REDIS_URL"] or "memory://",
        strategy="fixed-window",
        headers_enabled=True,
        # A Redis outage must not take intake down with it: limits then go unenforced.
        swallow_errors=True,
        enabled=app.config["RATE_LIMITS_ENABLED"],
    )


def check_site_rate(slug: str) -> None:
    """429 when a site is over its limit; called only once its signature verified.

    Counting after verification means nobody without the secret can spend a
    site's allowance. Unsigned webhook traffic never reaches this point.
    """
    limiter: Limiter = current_app.extensions["rate_limiter"]
    if not limiter.enabled:
        return
    for item in parse_many(current_app.config["RATE_LIMIT_SITE"]):
        if not limiter.limiter.hit(item, "site", slug):
            reset = limiter.limiter.get_window_stats(item, "site", slug).reset_time
            wait = max(1, int(reset - time.time()) + 1)
            raise RateLimited(f"Site over {item}.", retry_after=wait)


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
