"""Reset the one PostgreSQL database and Redis database a test run is given."""

from __future__ import annotations

import redis
from sqlalchemy import create_engine, text

from moderation.dbcli import upgrade
from moderation.models import Base


def reset_database(url: str) -> None:
    """Drop this service's tables (and alembic_version) in ``url``, then migrate afresh."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(text(f'DROP TABLE IF EXISTS "{table.name}" CASCADE'))
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    finally:
        engine.dispose()
    upgrade(url)


def empty_tables(url: str) -> None:
    """Empty this service's tables in ``url`` (keeps the schema)."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


def flush_redis(url: str) -> None:
    """Empty only the Redis database ``url`` names (FLUSHDB, never FLUSHALL)."""
    with redis.Redis.from_url(url, socket_timeout=5) as client:
        client.flushdb()
