"""Admin services behind ``/v1/rules``: status, check and backtest of a candidate ruleset."""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy.orm import Session

from moderation.durations import parse_duration
from moderation.rules.backtest import run_backtest
from moderation.rules.engine import Ruleset
from moderation.rules.loader import compile_ruleset, read_list_file, rule_texts
from moderation.rules.problems import RulesetInvalid, RulesUnavailable
from moderation.rules.store import RulesStore
from moderation.rules.testcases import run_tests

Thresholds = Mapping[str, Collection[str]] | None
# How posted files combine with the live rules directory (POST /v1/rules/check|backtest).
MODES = ("overlay", "replace")


def rules_status(*, store: RulesStore) -> dict[str, Any]:
    """The live ruleset (checking the directory first) and the last refused reload."""
    with contextlib.suppress(RulesUnavailable):  # status() then shows active: null and why
        store.get()
    return store.status()


def check_files(
    *,
    files: Mapping[str, str],
    lists: Mapping[str, str],
    mode: str,
    directory: str,
    known_thresholds: Thresholds,
) -> dict[str, Any]:
    """Validate a candidate ruleset (see ``candidate``) and run its tests."""
    try:
        ruleset = candidate(
            files=files,
            lists=lists,
            mode=mode,
            directory=directory,
            known_thresholds=known_thresholds,
        )
    except RulesetInvalid as exc:
        return {"valid": False, "mode": mode, "errors": [_error(e) for e in exc.errors]}
    results = run_tests(ruleset)
    failed = [
        {"file": r.test.file, "line": r.test.line, "problems": list(r.problems), "text": str(r)}
        for r in results
        if not r.ok
    ]
    return {
        "valid": True,
        "mode": mode,
        "version": ruleset.version,
        "files": list(ruleset.files),
        "rules": list(ruleset.rule_ids),
        "errors": [],
        "tests": {"passed": len(results) - len(failed), "failed": failed},
    }


def candidate(
    *,
    files: Mapping[str, str] | None,
    lists: Mapping[str, str],
    mode: str,
    directory: str,
    known_thresholds: Thresholds,
) -> Ruleset:
    """The files sent alone (``replace``) or over the rules directory on disk (``overlay``)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "replace":
        return compile_ruleset(files or {}, lists, known_thresholds=known_thresholds)
    root = Path(directory)
    # A file sent replaces the live file of the same name; the others are kept.
    texts = {**rule_texts(root), **{_normal(name): text for name, text in (files or {}).items()}}
    sent = {_normal(name): text for name, text in lists.items()}
    return compile_ruleset(
        texts,
        lambda rel: sent[rel] if rel in sent else read_list_file(root, rel),
        known_thresholds=known_thresholds,
    )


def _normal(name: str) -> str:
    # "./a.yaml" and "a.yaml" name the same live file.
    return PurePosixPath(name).as_posix()


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
