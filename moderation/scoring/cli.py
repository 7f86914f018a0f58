"""``moderation pipeline``: run the sweeper once (operators, cron without beat).

And ``moderation rules decide`` (``moderation/cli.py`` adds it to the rules group): it runs
the pipeline's pure stage, which sits above the rules package.
"""

from __future__ import annotations

import json
from typing import TextIO

import click
from flask.cli import with_appcontext

from moderation.classifier.service import model_store
from moderation.extensions import db
from moderation.rules.cli import load_with
from moderation.scoring.decide import decide_lines
from moderation.scoring.sweeper import sweep

pipeline_cli = click.Group("pipeline", help="The scoring pipeline.")


@pipeline_cli.command("sweep")
@with_appcontext
def sweep_command() -> None:
    """Re-enqueue comments left pending and callbacks overdue."""
    counts = sweep(db.session)
    db.commit()  # the command is the unit of work; the jobs start after it
    click.echo(json.dumps(counts))


@click.command("decide")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--input", "source", type=click.File("r", encoding="utf-8"), default="-")
@with_appcontext
def decide(directory: str | None, source: TextIO) -> None:
    """Print the live pipeline's decision for each JSON line (a test case); store nothing."""
    known = model_store().named_thresholds()
    ruleset = load_with(directory, known)
    for result in decide_lines(source, ruleset):
        click.echo(json.dumps(result, ensure_ascii=False))  # flushed: fine behind a pipe
