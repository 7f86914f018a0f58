"""``moderation db``: schema migrations with Alembic."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from moderation.db import make_engine, private_sqlite

db_cli = click.Group("db", help="Database schema migrations.")


def alembic_config(url: str | None = None) -> AlembicConfig:
    """Alembic settings pointing at the packaged migrations and the app's database."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url or current_app.config["DATABASE_URL"])
    return cfg


def current_revision(url: str) -> str | None:
    """The schema revision the database is at (``None``: never migrated)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def upgrade(url: str | None = None) -> tuple[str | None, str | None]:
    """Migrate to the newest schema (creating the SQLite folder); the revisions before and after."""
    url = url or current_app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        private_sqlite(url)
    before = current_revision(url)
    command.upgrade(alembic_config(url), "head")
    return before, current_revision(url)


def describe_upgrade(url: str, before: str | None, after: str | None) -> str:
    """One line saying what ``upgrade`` did, with any password in the URL masked."""
    where = make_url(url).render_as_string(hide_password=True)
    if before == after:
        return f"database at {where} already at head {after}"
    return f"database at {where} migrated from {before or 'empty'} to revision {after} (head)"


@db_cli.command("upgrade")
@with_appcontext
def upgrade_command() -> None:
    """Migrate to the newest schema."""
    url = current_app.config["DATABASE_URL"]
    click.echo(describe_upgrade(url, *upgrade(url)))


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@with_appcontext
def revision_command(message: str) -> None:
    """Autogenerate a migration from the models (for developers)."""
    command.revision(alembic_config(), message=message, autogenerate=True)
