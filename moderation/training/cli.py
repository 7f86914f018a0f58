"""``moderation model ...``: score, train, evaluate, promote, list, export-decisions."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TextIO

import click
from flask import current_app
from flask.cli import with_appcontext

from moderation.classifier import service
from moderation.classifier.artifact import ModelIntegrityError
from moderation.classifier.encoder import ENGINES, NONE
from moderation.classifier.model import LinearModel
from moderation.extensions import db
from moderation.rules.loader import load_ruleset
from moderation.rules.problems import RulesetInvalid
from moderation.training import compare, crossreport, functional, span_check
from moderation.training.decisions import labelled_rows
from moderation.training.evaluate import Validation, table, write_evaluation
from moderation.training.train import (
    Extra,
    TrainConfig,
    derive_with_operating_points,
    extra_from_file,
    extra_from_rows,
    train_from_data,
)

model_cli = click.Group("model", help="Train, evaluate, promote and run the comment classifier.")


def _models_dir(out: Path | None = None) -> Path:
    """``--out`` when given, else the app's ``MODELS_DIR``."""
    return out if out is not None else Path(current_app.config["MODELS_DIR"])


def _load(directory: Path, version: str | None) -> LinearModel:
    try:
        version = version or service.active_version(directory)
        if version is None:
            raise click.ClickException(f"no active model in {directory}; give a VERSION")
        return service.load_version(directory, version)
    except (ModelIntegrityError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from exc


@model_cli.command("score")
@with_appcontext
def score_command() -> None:
    """Score JSON lines {"id", "text"} from stdin; one JSON line out per line in, in order."""
    try:
        model = service.ModelStore(_models_dir()).current()
    except ModelIntegrityError as exc:
        raise click.ClickException(str(exc)) from exc
    if model is None:
        raise click.ClickException("no model installed: run 'moderation model train' and promote")
    for number, line in enumerate(sys.stdin, start=1):
        if line.strip():
            result = service.score_line(model, line, number)
            # click.echo flushes, so a reader at the other end of a pipe sees every line.
            click.echo(json.dumps(result, ensure_ascii=False))


def _extras(decisions: Path | None, with_decisions: bool) -> list[Extra]:
    """The labelled data of our own: an exported file, and/or the database's rows now."""
    extras = [extra_from_file(decisions)] if decisions is not None else []
    if with_decisions:
        rows = list(labelled_rows(db.session))
        click.echo(f"{len(rows)} labelled rows from the database", err=True)
        extras.append(extra_from_rows(rows))
    return extras


NO_CROSSVAL = (
    "cross-source: no file for this model in var/crossval (python -m research.crossval "
    "--encoder ENGINE writes one; or pass --crossval FILE)"
)
_DATA = click.option("--data", type=click.Path(file_okay=False, exists=True, path_type=Path))
_DECISIONS = click.option(
    "--decisions",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="An export-decisions file to add.",
)
_WITH_DECISIONS = click.option(
    "--with-decisions",
    is_flag=True,
    help="Add moderators' decisions, spot checks and suggestscore feedback from the database.",
)


@model_cli.command("train")
@_DATA
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Models folder.")
@_DECISIONS
@_WITH_DECISIONS
@click.option("--seed", type=int, default=42, show_default=True)
@click.option(
    "--operating-points",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A cross-source file (research.crossval): the rules' review and reject cut-offs.",
)
@click.option(
    "--encoder",
    type=click.Choice([NONE, *ENGINES]),
    default=NONE,
    show_default=True,
    help="Sentence encoder engine whose vectors the model weighs beside TF-IDF.",
)
@with_appcontext
def train_command(
    data: Path | None,
    out: Path | None,
    decisions: Path | None,
    with_decisions: bool,
    seed: int,
    operating_points: Path | None,
    encoder: str,
) -> None:
    """Train a new model version from the shared corpora (progress on stderr)."""
    folder = train_from_data(
        data or Path(current_app.config["DATA_DIR"]),
        _models_dir(out),
        _extras(decisions, with_decisions),
        TrainConfig(seed=seed, encoder=encoder),
        operating_points=operating_points,
    )
    click.echo(f"trained {folder.name} in {folder}")
    click.echo(f"promote it with: moderation model promote {folder.name}")


@model_cli.command("evaluate")
@click.argument("version", required=False)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Models folder.")
@click.option(
    "--against",
    metavar="VERSION",
    help="Compare with this version ('active': the promoted one) per source; writes nothing.",
)
@click.option(
    "--suite",
    type=click.Path(file_okay=False, path_type=Path),
    help="Functional suite folder (default: ./functional when it exists).",
)
@click.option(
    "--crossval",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Cross-source file to print (default: the one in var/crossval its cut-offs came from).",
)
@_DATA
@_DECISIONS
@_WITH_DECISIONS
@with_appcontext
def evaluate_command(
    version: str | None,
    out: Path | None,
    against: str | None,
    suite: Path | None,
    crossval: Path | None,
    data: Path | None,
    decisions: Path | None,
    with_decisions: bool,
) -> None:
    """Print the validation table (model vs baseline) and rewrite report.md, metrics.json, PNGs.

    Then the cross-source table (``--crossval``, or the file the model's operating points
    were set on when ``var/crossval`` keeps it) and the functional suite's tables, this
    model with the house rules. With ``--against``:
    both models on this one's validation rows, rebuilt from the same inputs it was trained
    on (``--data``, ``--decisions``, ``--with-decisions``).
    """
    directory = _models_dir(out)
    model = _load(directory, version)
    folder = directory / model.version
    try:
        validation = Validation.load(folder / "validation.npz")
    except FileNotFoundError as exc:
        raise click.ClickException(f"{folder} has no validation.npz") from exc
    if against is not None:
        other = _load(directory, None if against == "active" else against)
        data_dir = data or Path(current_app.config["DATA_DIR"])
        try:
            found = compare.evaluate_against(
                model, validation, other, data_dir, _extras(decisions, with_decisions)
            )
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(compare.table(found))
        return
    click.echo(table(write_evaluation(folder, model, validation)))
    click.echo(f"\nwrote {folder / 'report.md'}, metrics.json and pr-*.png")
    spans_from = data or current_app.config.get("DATA_DIR")
    if spans_from is not None:
        click.echo("\n" + span_check.check(model, Path(spans_from), validation.keys))
    crossval = crossval or crossreport.file_of(model.info, Path("var/crossval"))
    click.echo("\n" + (crossreport.summary(crossval) if crossval else NO_CROSSVAL))
    _functional_suite(suite, model)


def _functional_suite(suite: Path | None, model: LinearModel) -> None:
    """The suite's tables as ``rules decide`` would give them with this model promoted."""
    folder = suite or Path("functional")
    if not folder.is_dir():
        if suite is not None:
            raise click.ClickException(f"no functional suite in {suite}")
        return
    rules = Path(current_app.config.get("RULES_DIR", "rules"))
    try:
        ruleset = load_ruleset(rules, service.offered_thresholds(model))
    except RulesetInvalid as exc:
        raise click.ClickException(f"{rules}: {exc}") from None
    click.echo(f"\nfunctional suite {folder}: rules {rules} ({ruleset.version}), {model.version}\n")
    click.echo(functional.suite_report(folder, ruleset, lambda: model))


@model_cli.command("operating-points")
@click.argument("version")
@click.option(
    "--crossval",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default="var/crossval/grouped.npz",
    show_default=True,
)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Models folder.")
@with_appcontext
def operating_points_command(version: str, crossval: Path, out: Path | None) -> None:
    """Write a new version of VERSION whose cut-offs come from a cross-source file."""
    folder = derive_with_operating_points(_models_dir(out), version, crossval)
    click.echo(f"wrote {folder.name} in {folder}; evaluate and promote it")


def _check_rules_compile(model: LinearModel) -> None:
    # The house rules name the model's thresholds: a model lacking one would leave no live rules.
    configured = current_app.config.get("RULES_DIR")
    rules_dir = Path(configured) if configured else None
    if rules_dir is None or not rules_dir.is_dir():
        return
    try:
        load_ruleset(rules_dir, known_thresholds=service.offered_thresholds(model))
    except RulesetInvalid as exc:
        hint = "derive its thresholds first: moderation model operating-points VERSION"
        raise click.ClickException(
            f"the rules in {rules_dir} do not compile: {exc}; {hint}"
        ) from exc


@model_cli.command("promote")
@click.argument("version")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Models folder.")
@with_appcontext
def promote_command(version: str, out: Path | None) -> None:
    """Make VERSION the active model (ACTIVE is rewritten atomically)."""
    directory = _models_dir(out)
    _check_rules_compile(_load(directory, version))
    try:
        service.promote(directory, version)
    except (ModelIntegrityError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"promoted {version}")


@model_cli.command("list")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Models folder.")
@with_appcontext
def list_command(out: Path | None) -> None:
    """List installed versions; the active one is starred."""
    directory = _models_dir(out)
    active = service.active_version(directory)
    for version in service.installed_versions(directory):
        click.echo(f"{'*' if version == active else ' '} {version}")


@model_cli.command("export-decisions")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-")
@click.option("--since-days", type=click.IntRange(min=1), help="Only the last N days.")
@click.option("--spot-checks-only", is_flag=True, help="Only labels of random spot checks.")
@with_appcontext
def export_decisions_command(
    output: TextIO, since_days: int | None, spot_checks_only: bool
) -> None:
    """Write moderator decisions and Perspective feedback as labelled JSON lines for training."""
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=since_days) if since_days else None
    count = 0
    for row in labelled_rows(db.session, since=since, spot_checks_only=spot_checks_only):
        output.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    click.echo(f"exported {count} labelled decisions", err=True)
