"""Abuse protection: rate limits (429); back-pressure (503) is ``comments/backlog.py``.

Webhook routes are limited per site once signed, every other route per client address;
failed authentication (signatures, keys) per client address, before any work is done;
console sign-ins per (name, address) with backoff. Counters live in Redis
(``REDIS_URL``) so every web process shares them (the embedded default, without
Redis, counts per process).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse_many

from moderation.exceptions import RateLimited

_EXEMPT = "__rate_exempt__"
# Failures are remembered this long from the first; waits never exceed MAX_WAIT.
FAILURE_MEMORY = 86400
MAX_WAIT = 900
# A limiter storage out of reach leaves limits unenforced, as flask-limiter's own do.
_STORAGE_DOWN = (redis.RedisError, OSError)

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


def _enabled() -> Limiter | None:
    limiter: Limiter = current_app.extensions["rate_limiter"]
    return limiter if limiter.enabled else None


def _refuse(limiter: Limiter, item: Any, *keys: str, message: str) -> RateLimited:
    reset = limiter.limiter.get_window_stats(item, *keys).reset_time
    return RateLimited(message, retry_after=max(1, int(reset - time.time()) + 1))


def check_failed_auth() -> None:
    """429 while this address is over its allowance of failed authentications.

    Called before a signature or key is checked, so a flood of bad ones costs a
    counter read each, not a decryption and an HMAC; ``count_failed_auth`` spends it.
    """
    limiter = _enabled()
    if limiter is None:
        return
    address = request.remote_addr or ""
    try:
        for item in parse_many(current_app.config["RATE_LIMIT_FAILED_AUTH"]):
            if not limiter.limiter.test(item, "failed-auth", address):
                raise _refuse(limiter, item, "failed-auth", address, message="Too many failures.")
    except _STORAGE_DOWN:
        return


def count_failed_auth() -> None:
    """Spend one of this address's failed authentications."""
    limiter = _enabled()
    if limiter is None:
        return
    try:
        for item in parse_many(current_app.config["RATE_LIMIT_FAILED_AUTH"]):
            limiter.limiter.hit(item, "failed-auth", request.remote_addr or "")
    except _STORAGE_DOWN:
        return


def _pair(name: str) -> str:
    # The name hashed: any bytes a client sends make a short, safe storage key.
    digest = hashlib.sha256(name.casefold().encode("utf-8", "surrogatepass")).hexdigest()
    return f"{digest[:32]}/{request.remote_addr or ''}"


def check_login(name: str) -> None:
    """429 while ``name`` must wait from this address (backoff), or the address is over its ceiling.

    The wait is per (name, address): one person's failures never lock out another
    user, nor the same user from elsewhere. The address's ceiling, higher, bounds
    guessing across many names.
    """
    limiter = _enabled()
    if limiter is None:
        return
    storage, pair, address = limiter.storage, _pair(name), request.remote_addr or ""
    try:
        if storage.get(f"login-wait/{pair}") > 0:
            wait = math.ceil(storage.get_expiry(f"login-wait/{pair}") - time.time())
            # + 1: flask-limiter rewrites Retry-After, rounding the seconds left down.
            raise RateLimited("Too many failed sign-ins; wait and retry.", retry_after=wait + 1)
        for item in parse_many(current_app.config["LOGIN_RATE_LIMIT"]):
            if not limiter.limiter.hit(item, "console-login", address):
                raise _refuse(limiter, item, "console-login", address, message="Too many sign-ins.")
    except _STORAGE_DOWN:
        return


def login_failed(name: str) -> None:
    """Count a failed sign-in; past the free ones, each doubles the wait (1 s, 2 s… 15 min)."""
    limiter = _enabled()
    if limiter is None:
        return
    storage, pair, free = limiter.storage, _pair(name), current_app.config["LOGIN_FREE_FAILURES"]
    try:
        failures = storage.incr(f"login-failures/{pair}", FAILURE_MEMORY)
        if failures >= free:
            # Set only when new: no attempt (so no new failure) is let through while it lasts.
            storage.incr(f"login-wait/{pair}", min(2 ** min(failures - free, 10), MAX_WAIT))
    except _STORAGE_DOWN:
        return


def login_succeeded(name: str) -> None:
    """A good password from this address: its failures are forgiven."""
    limiter = _enabled()
    if limiter is None:
        return
    try:
        for key in ("login-failures", "login-wait"):
            limiter.storage.clear(f"{key}/{_pair(name)}")
    except _STORAGE_DOWN:
        return
