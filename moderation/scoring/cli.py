"""``moderation pipeline``: run the sweeper once (operators, cron without beat)."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from moderation.extensions import db
from moderation.scoring.sweeper import sweep

pipeline_cli = click.Group("pipeline", help="The scoring pipeline.")


@pipeline_cli.command("sweep")
@with_appcontext
def sweep_command() -> None:
    """Re-enqueue comments left pending and callbacks overdue."""
    counts = sweep(db.session)
    db.commit()  # the command is the unit of work; the jobs start after it
    click.echo(json.dumps(counts))
