"""Migration 0011: sites created before v2 signatures keep ``sha256=``; new ones do not."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from moderation.dbcli import alembic_config
from moderation.extensions import db
from moderation.models import Base
from moderation.sites.models import Site
from moderation.sites.service import add_site


def test_existing_sites_get_legacy_signatures_new_ones_not(app):
    config = alembic_config()
    command.downgrade(config, "0010")
    assert "legacy_signatures" not in {c["name"] for c in inspect(db.engine).get_columns("sites")}
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sites (slug, callback_url, secret_enc, created_at) "
                "VALUES ('old', 'http://127.0.0.1:9/', 'x', CURRENT_TIMESTAMP)"
            )
        )
    command.upgrade(config, "head")
    add_site(db.session, slug="new", callback_url="http://127.0.0.1:9/")
    db.session.commit()
    found = {s.slug: s.legacy_signatures for s in db.session.query(Site)}
    assert found == {"old": True, "new": False}
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "legacy_signatures" in repr(d)] == []
