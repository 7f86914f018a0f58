"""``moderation rules check|test|backtest``: change house rules without fear."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Collection, Mapping
from pathlib import Path

import click
from flask import current_app, has_app_context
from flask.cli import with_appcontext

from moderation.config import Config
from moderation.durations import parse_duration
from moderation.extensions import db
from moderation.rules.backtest import run_backtest
from moderation.rules.backtest_text import format_report
from moderation.rules.engine import Ruleset
from moderation.rules.loader import load_ruleset
from moderation.rules.problems import RulesetInvalid
from moderation.rules.testcases import run_tests

rules_cli = click.Group("rules", help="Validate, test and backtest the house rules.")


def default_rules_dir() -> str:
    """The app's ``RULES_DIR``; without an app (a plain check), what ``Config`` reads."""
    if has_app_context():
        return str(current_app.config["RULES_DIR"])
    return Config().RULES_DIR


def _thresholds(path: str | None) -> Mapping[str, Collection[str]] | None:
    if path is None:
        return None
    data = json.loads(Path(path).read_text("utf-8"))
    return {label: list(names) for label, names in data.items()}


_thresholds_option = click.option(
    "--thresholds",
    "thresholds_file",
    type=click.Path(exists=True, dir_okay=False),
    help='JSON {label: ["likely", ...]}: named thresholds the model offers (none: no model).',
)


def _load(directory: str | None, thresholds_file: str | None) -> Ruleset:
    return load_with(directory, _thresholds(thresholds_file))


def load_with(directory: str | None, known: Mapping[str, Collection[str]] | None) -> Ruleset:
    """The ruleset in ``directory`` (else ``RULES_DIR``), or exit 1 listing its errors."""
    path = directory or default_rules_dir()
    try:
        return load_ruleset(path, known_thresholds=known)
    except RulesetInvalid as exc:
        for error in exc.errors:
            click.echo(_located(path, error.file, str(error)), err=True)
        click.echo(f"{len(exc.errors)} error(s) in {path}", err=True)
        sys.exit(1)


def _located(directory: str, file: str, message: str) -> str:
    # Errors name files relative to the rules directory; show them as the user can open them.
    return os.path.join(directory, message) if file else message


@rules_cli.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@_thresholds_option
def check(directory: str | None, thresholds_file: str | None) -> None:
    """Validate every rule file; print file:line: message per error, exit 1 on any."""
    ruleset = _load(directory, thresholds_file)
    click.echo(f"ok: {len(ruleset.rules)} rules, {len(ruleset.tests)} tests, {ruleset.version}")


@rules_cli.command("test")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@_thresholds_option
def test(directory: str | None, thresholds_file: str | None) -> None:
    """Run the tests: examples of the rule files; name each failing case, exit 1 on any."""
    path = directory or default_rules_dir()
    results = run_tests(_load(path, thresholds_file))
    failed = [r for r in results if not r.ok]
    for result in failed:
        click.echo(_located(path, result.test.file, str(result)), err=True)
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        sys.exit(1)


@rules_cli.command("backtest")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option(
    "--since", default="30d", show_default=True, help="Window to replay: 30d, 12h, 2 weeks."
)
@click.option("--examples", default=5, show_default=True, help="Examples shown per kind of change.")
@click.option("--limit", type=int, default=None, help="Replay at most this many comments.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (for machines).")
@_thresholds_option
@with_appcontext
def backtest(
    directory: str | None,
    since: str,
    examples: int,
    limit: int | None,
    as_json: bool,
    thresholds_file: str | None,
) -> None:
    """Replay stored comments against the candidate rules; report decisions that would change."""
    try:
        window = parse_duration(since)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from None
    ruleset = _load(directory, thresholds_file)
    report = run_backtest(
        session=db.session,
        ruleset=ruleset,
        since=window,
        examples=examples,
        limit=limit,
        progress=lambda done, total: click.echo(f"replayed {done}/{total}", err=True),
    )
    click.echo(
        json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
        if as_json
        else format_report(report)
    )
