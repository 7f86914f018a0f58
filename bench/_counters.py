"""Counting what a comment costs: SQL statements, PostgreSQL and Redis round trips, layers."""

from __future__ import annotations

from collections import Counter
from typing import Any

import redis.connection
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.engine.interfaces import CacheStats

#: Where a profiler sample's time goes: the innermost frame whose file path holds one of
#: these (checked in order), else "our code and the standard library".
LAYERS = (
    ("/psycopg", "PostgreSQL driver and wait (psycopg)"),
    ("/sqlalchemy/", "SQLAlchemy (ORM, compile, flush)"),
    ("/redis/", "Redis client and wait"),
    ("/kombu/", "Celery/kombu (publish, messages)"),
    ("/celery/", "Celery/kombu (publish, messages)"),
    ("/requests/", "HTTP client (requests, urllib3)"),
    ("/urllib3/", "HTTP client (requests, urllib3)"),
    ("/http/client.py", "HTTP client (requests, urllib3)"),
    ("/sklearn/", "engines: classifier, language, rules"),
    ("/scipy/", "engines: classifier, language, rules"),
    ("/numpy/", "engines: classifier, language, rules"),
    ("/py3langid/", "engines: classifier, language, rules"),
    ("/moderation/classifier/", "engines: classifier, language, rules"),
    ("/moderation/rules/", "engines: classifier, language, rules"),
    ("/moderation/text/", "engines: classifier, language, rules"),
    ("/re2", "engines: classifier, language, rules"),
    ("/marshmallow/", "validation (marshmallow)"),
    ("/nh3", "text reduction (nh3)"),
    ("/flask/", "Flask/Werkzeug (request, test client)"),
    ("/werkzeug/", "Flask/Werkzeug (request, test client)"),
    ("/json/", "JSON"),
    ("/logging/", "logging"),
    ("/moderation/", "our code (services, pipeline)"),
)


def layer_of(stack: list[str]) -> str:
    """The layer of one sample: pyinstrument frame ids are ``function\\0file\\0line``."""
    for frame in reversed(stack):
        parts = frame.split("\x00")
        path = parts[1] if len(parts) > 1 else ""
        for needle, layer in LAYERS:
            if needle in path:
                return layer
    return "other (standard library, interpreter)"


class Counters:
    """SQL statements and round trips seen on ``engine``, and Redis commands, since reset."""

    def __init__(self, engine: Engine) -> None:
        self.reset()
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._commit)
        event.listen(engine.pool, "checkout", self._checkout)
        self._pre_ping = bool(getattr(engine.pool, "_pre_ping", False))
        original = redis.connection.Connection.send_packed_command
        counters = self

        def counted(conn: Any, command: Any, check_health: bool = True) -> None:
            counters.redis += 1
            original(conn, command, check_health)

        redis.connection.Connection.send_packed_command = counted  # type: ignore[method-assign]

    def reset(self) -> None:
        """Start counting afresh."""
        self.sql = self.begins = self.commits = self.pings = self.redis = self.misses = 0
        self.statements: Counter[str] = Counter()

    def _statement(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.sql += 1
        context = _args[-2]
        if context is not None and context.cache_hit is CacheStats.CACHE_MISS:
            self.misses += 1
        self.statements[" ".join(statement.split())[:90]] += 1

    def _begin(self, *_args: Any) -> None:
        self.begins += 1

    def _commit(self, *_args: Any) -> None:
        self.commits += 1

    def _checkout(self, *_args: Any) -> None:
        self.pings += self._pre_ping

    @property
    def round_trips(self) -> int:
        """PostgreSQL round trips: each statement, BEGIN (psycopg sends it alone), COMMIT, ping."""
        return self.sql + self.begins + self.commits + self.pings

    def per(self, n: int) -> str:
        """The counts per comment, in words."""
        return (
            f"{self.sql / n:.1f} SQL statements, {self.round_trips / n:.1f} PostgreSQL round "
            f"trips ({self.commits / n:.1f} commits), {self.redis / n:.1f} Redis round trips"
            + (f"; {self.misses / n:.1f} statements compiled afresh" if self.misses else "")
        )
