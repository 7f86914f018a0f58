"""Admin services behind ``/v1/rules``: status, check and backtest of a candidate ruleset."""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy.orm import Session

from moderation.rules.backtest import run_backtest
from moderation.rules.engine import Ruleset
from moderation.rules.loader import compile_ruleset, load_ruleset
from moderation.rules.problems import RulesetInvalid, RulesUnavailable
from moderation.rules.schema import parse_duration
from moderation.rules.store import RulesStore
from moderation.rules.testcases import run_tests

Thresholds = Mapping[str, Collection[str]] | None


def rules_status(*, store: RulesStore) -> dict[str, Any]:
    """The live ruleset (checking the directory first) and the last refused reload."""
    with contextlib.suppress(RulesUnavailable):  # status() then shows active: null and why
        store.get()
    return store.status()


def check_files(
    *, files: Mapping[str, str], lists: Mapping[str, str], known_thresholds: Thresholds
) -> dict[str, Any]:
    """Validate a candidate ruleset given as text and run its tests."""
    try:
        ruleset = compile_ruleset(files, lists, known_thresholds=known_thresholds)
    except RulesetInvalid as exc:
        return {"valid": False, "errors": [_error(e) for e in exc.errors]}
    results = run_tests(ruleset)
    failed = [
        {"file": r.test.file, "line": r.test.line, "problems": list(r.problems), "text": str(r)}
        for r in results
        if not r.ok
    ]
    return {
        "valid": True,
        "version": ruleset.version,
        "rules": list(ruleset.rule_ids),
        "errors": [],
        "tests": {"passed": len(results) - len(failed), "failed": failed},
    }


def candidate(
    *,
    files: Mapping[str, str] | None,
    lists: Mapping[str, str],
    directory: str,
    known_thresholds: Thresholds,
) -> Ruleset:
    """The ruleset to backtest: the files sent, or the rules directory as it is on disk."""
    if files:
        return compile_ruleset(files, lists, known_thresholds=known_thresholds)
    return load_ruleset(directory, known_thresholds=known_thresholds)


def backtest_files(
    *,
    session: Session,
    ruleset: Ruleset,
    since: str,
    examples: int,
    limit: int,
) -> dict[str, Any]:
    """Replay stored comments against ``ruleset`` (``since`` already validated)."""
    report = run_backtest(
        session=session,
        ruleset=ruleset,
        since=parse_duration(since),
        examples=examples,
        limit=limit,
    )
    return report.as_dict()


def _error(error: Any) -> dict[str, Any]:
    return {**error.as_dict(), "text": str(error)}
