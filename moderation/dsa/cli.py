"""``moderation dsa export --since 30d``: statements for the Transparency Database."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from moderation.dsa.export import export_statements
from moderation.durations import parse_duration
from moderation.extensions import db

dsa_cli = click.Group("dsa", help="EU Digital Services Act: the transparency export.")


@dsa_cli.command("export")
@click.option("--since", default="30d", show_default=True, help='How far back, e.g. "30d".')
@with_appcontext
def export(since: str) -> None:
    """One JSON statement per line, as ``POST /api/v1/statement`` takes it."""
    try:
        window = parse_duration(since)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from exc
    for payload in export_statements(db.session, window=window):
        click.echo(json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
