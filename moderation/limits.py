"""Abuse protection: rate limits (429); back-pressure (503) is ``comments/backlog.py``.

Webhook routes are limited per site once signed, every other route per client address;
counters live in Redis (``REDIS_URL``) so every web process shares them (the
embedded default, without Redis, counts per process).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse_many

from moderation.exceptions import RateLimited

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
