"""``/metrics``' text, computed at most once per TTL: per process, or for all of them with Redis.

A scrape costs a dictionary read (or one Redis GET); the database is read by one
thread of one process per ``MODERATION_METRICS_CACHE_SECONDS``, so however often
and from however many clients ``/metrics`` is scraped, the queue does not feel it.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable

import redis
from flask import current_app

# Longer than a computation ever takes; ends a lock whose holder died.
LOCK_SECONDS = 60
WAIT_SECONDS = 5.0


class MetricsCache:
    """The last text and when it was computed; one per app."""

    def __init__(self, ttl: float, client: redis.Redis | None, key: str) -> None:
        self.ttl, self.client, self.key = ttl, client, key
        self.text: str | None = None
        self.at = 0.0
        self.lock = threading.Lock()

    def get(self, compute: Callable[[], str]) -> str:
        """A text at most ``ttl`` old (or the previous one while another thread computes it)."""
        if self.ttl <= 0:
            return compute()
        if self.text is not None and time.monotonic() - self.at < self.ttl:
            return self.text
        # Only one thread computes; the others serve the previous text rather than queue up.
        if not self.lock.acquire(blocking=self.text is None):
            return self.text or compute()
        try:
            if self.text is None or time.monotonic() - self.at >= self.ttl:
                self._store(self._shared(compute))
            return self.text or ""
        finally:
            self.lock.release()

    def _store(self, text: str) -> None:
        self.text, self.at = text, time.monotonic()

    def _shared(self, compute: Callable[[], str]) -> str:
        """The text another process computed, else compute it (one process at a time)."""
        if self.client is None:
            return compute()
        try:
            cached = self.client.get(self.key)
            if cached is not None:
                return _text(cached)
            if not self.client.set(f"{self.key}:lock", b"1", nx=True, ex=LOCK_SECONDS):
                waited = self._wait()
                if waited is not None:
                    return waited
        except (redis.RedisError, OSError):  # monitoring degrades to per-process caching
            return compute()
        text = compute()
        try:
            self.client.set(self.key, text.encode(), px=max(1, int(self.ttl * 1000)))
            self.client.delete(f"{self.key}:lock")
        except (redis.RedisError, OSError):
            pass
        return text

    def _wait(self) -> str | None:
        assert self.client is not None
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            cached = self.client.get(self.key)
            if cached is not None:
                return _text(cached)
        return None


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


_CREATE = threading.Lock()


def metrics_cache() -> MetricsCache:
    """This app's cache, built on first use."""
    with _CREATE:
        return current_app.extensions.get("metrics_cache") or _create()


def _create() -> MetricsCache:
    # Two deployments sharing a Redis database keep their numbers apart.
    scope = hashlib.sha256(str(current_app.config["DATABASE_URL"]).encode()).hexdigest()[:16]
    cache = MetricsCache(
        current_app.config["METRICS_CACHE_SECONDS"],
        current_app.extensions.get("redis"),
        f"moderation:metrics:{scope}",
    )
    current_app.extensions["metrics_cache"] = cache
    return cache
