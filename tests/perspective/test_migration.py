"""Migration 0004 matches the models and goes down and up again (SQLite here, PostgreSQL in CI)."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from moderation.dbcli import alembic_config
from moderation.extensions import db
from moderation.models import Base

TABLES = {"perspective_keys", "perspective_requests", "perspective_feedback"}


def test_migration_0004_matches_the_models_and_reverses(papp):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    ours = [d for d in diff if any(t in repr(d) for t in TABLES)]
    assert ours == []
    config = alembic_config()
    command.downgrade(config, "0003")
    assert TABLES.isdisjoint(inspect(db.engine).get_table_names())
    command.upgrade(config, "head")
    assert TABLES.issubset(inspect(db.engine).get_table_names())
