"""``moderation db``: schema migrations with Alembic."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import current_app
from flask.cli import with_appcontext

db_cli = click.Group("db", help="Database schema migrations.")


def alembic_config(url: str | None = None) -> AlembicConfig:
    """Alembic settings pointing at the packaged migrations and the app's database."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url or current_app.config["DATABASE_URL"])
    return cfg


def upgrade(url: str | None = None) -> None:
    """Migrate the database to the newest schema (creates the SQLite folder if needed)."""
    url = url or current_app.config["DATABASE_URL"]
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")


@db_cli.command("upgrade")
@with_appcontext
def upgrade_command() -> None:
    """Migrate to the newest schema."""
    upgrade()
    click.echo("database is up to date")


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@with_appcontext
def revision_command(message: str) -> None:
    """Autogenerate a migration from the models (for developers)."""
    command.revision(alembic_config(), message=message, autogenerate=True)
