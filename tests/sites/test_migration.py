"""Migrations 0011 (sites before v2 signatures keep ``sha256=``) and 0015 (zone, reasons)."""

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


def _old_site() -> None:
    """A site row as an older schema held it (only the columns every version has)."""
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sites (slug, callback_url, secret_enc, created_at) "
                "VALUES ('old', 'http://127.0.0.1:9/', 'x', CURRENT_TIMESTAMP)"
            )
        )


def test_existing_sites_get_legacy_signatures_new_ones_not(app):
    config = alembic_config()
    command.downgrade(config, "0010")
    assert "legacy_signatures" not in {c["name"] for c in inspect(db.engine).get_columns("sites")}
    _old_site()
    command.upgrade(config, "head")
    add_site(db.session, slug="new", callback_url="http://127.0.0.1:9/")
    db.session.commit()
    found = {s.slug: s.legacy_signatures for s in db.session.query(Site)}
    assert found == {"old": True, "new": False}
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "legacy_signatures" in repr(d)] == []


def test_0015_puts_existing_sites_in_paris_with_the_default_reasons_and_goes_back(app):
    config = alembic_config()
    command.downgrade(config, "0014")
    assert "time_zone" not in {c["name"] for c in inspect(db.engine).get_columns("sites")}
    _old_site()
    command.upgrade(config, "head")
    site = db.session.query(Site).one()
    assert (site.time_zone, site.reject_reasons) == ("Europe/Paris", None)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "time_zone" in repr(d) or "reject_reasons" in repr(d)] == []
    db.session.rollback()
    command.downgrade(config, "0014")
    assert "reject_reasons" not in {c["name"] for c in inspect(db.engine).get_columns("sites")}
    command.upgrade(config, "head")
