"""Behind PgBouncer in transaction pooling mode (docs/operations.md): prepared statements off.

psycopg prepares a statement on the server once a connection has run it five
times; PgBouncer before 1.21 cannot follow those across server connections, so
the app must run with MODERATION_DATABASE_PREPARED_STATEMENTS=0 there. Private
PostgreSQL and PgBouncer (two server connections for eight threads); skipped
without ``pgbouncer``, even in CI.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy.exc
from flask import Flask
from sqlalchemy import func, select

from harness.services import (
    PrivatePgBouncer,
    missing_tools,
    private_pgbouncer,
    private_postgres,
)
from moderation.dbcli import upgrade
from moderation.extensions import db
from moderation.sites.models import Site
from tests.helpers import make_app, unavailable

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def pooler() -> Iterator[PrivatePgBouncer]:
    """A migrated database behind a transaction-pooling PgBouncer."""
    reason = missing_tools()
    if reason:
        unavailable("private PostgreSQL", reason)
    if shutil.which("pgbouncer") is None:  # optional, even in CI: apt-get install pgbouncer
        pytest.skip("pgbouncer not found")
    with private_postgres() as pg:
        upgrade(pg.create_database("pooled"))
        with private_pgbouncer(pg, pool_size=2) as bouncer:
            yield bouncer


def hammer(app: Flask) -> None:
    """Eight threads, each running the same query in 30 transactions of its own."""

    def work(_: int) -> None:
        for _ in range(30):
            with app.app_context():
                db.session.scalar(select(func.count()).select_from(Site))
                db.session.commit()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(8)))


def pooled_app(pooler: PrivatePgBouncer, tmp_path: Path, prepared: bool) -> Flask:
    """An app whose database is reached through the pooler."""
    return make_app(pooler.url("pooled"), tmp_path, DATABASE_PREPARED_STATEMENTS=prepared)


def test_without_prepared_statements_the_app_works_through_pgbouncer(pooler, tmp_path):
    app = pooled_app(pooler, tmp_path, prepared=False)
    try:
        hammer(app)
    finally:
        with app.app_context():
            db.engine.dispose()


def test_with_prepared_statements_pgbouncer_transaction_pooling_breaks(pooler, tmp_path):
    """Why the setting exists: psycopg's default fails through this pooler."""
    app = pooled_app(pooler, tmp_path, prepared=True)
    try:
        with pytest.raises(sqlalchemy.exc.ProgrammingError, match="prepared statement"):
            hammer(app)
    finally:
        with app.app_context():
            db.engine.dispose()
