"""Migration 0009 on real PostgreSQL: the spot checks' names go down to 0008 and back."""

from __future__ import annotations

import pytest
from alembic import command

from moderation.dbcli import alembic_config
from tests.review.spot_checks.test_migration import check_round_trip

pytestmark = pytest.mark.integration


def test_migration_0009_renames_both_ways_on_postgresql(pg_app):
    try:
        check_round_trip()
    finally:  # the session's other tests need the schema at head
        command.upgrade(alembic_config(), "head")
