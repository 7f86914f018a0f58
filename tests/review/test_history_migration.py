"""Migrations 0013-0014: the report standing, the comment lists' indexes; both ways."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from moderation.dbcli import alembic_config
from moderation.extensions import db
from moderation.models import Base

OURS = ("standing", "ix_comments_received", "ix_comments_site_article")


def _names():
    found = inspect(db.engine)
    columns = {c["name"] for c in found.get_columns("flags")}
    indexes = {i["name"] for i in found.get_indexes("comments")}
    return columns | indexes


def test_upgrade_matches_the_models_and_downgrade_removes_it(app):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if any(name in repr(d) for name in OURS)] == []
    assert set(OURS) <= _names()
    db.remove()
    command.downgrade(alembic_config(), "0012")
    db.engine.dispose()
    assert not set(OURS) & _names()
    command.upgrade(alembic_config(), "head")
    db.engine.dispose()
    assert set(OURS) <= _names()
