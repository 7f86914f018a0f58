"""Reload without restart: a good change goes live, a bad one is refused and the old one stays."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from moderation.contracts import CommentFacts
from moderation.rules.problems import RulesUnavailable
from moderation.rules.store import RulesStore
from tests.rules.conftest import WriteRules

V1 = "rules:\n  - {id: one, if: {body: {words: [alpha]}}, then: review}\n"
V2 = "rules:\n  - {id: two, if: {body: {words: [beta]}}, then: reject}\n"
BROKEN = "rules:\n  - {id: two, if: {body: {words: [beta]}}, then: obliterate}\n"


class Clock:
    """A hand-driven monotonic clock."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def touch(path: Path, text: str) -> None:
    """Rewrite a file and move its mtime forward (same-second edits must still be seen)."""
    stat = path.stat()
    path.write_text(text)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_reload_goes_live_after_the_interval(write_rules: WriteRules) -> None:
    root, clock = write_rules({"house.yaml": V1}), Clock()
    store = RulesStore(root, reload_seconds=2.0, clock=clock)
    first = store.get()
    assert first.rule_ids == ("one",)
    touch(root / "house.yaml", V2)
    clock.now = 1.0
    assert store.get() is first  # not checked again before the interval
    clock.now = 2.5
    second = store.get()
    assert second.rule_ids == ("two",) and second.version != first.version
    assert second.evaluate(CommentFacts(body="beta")).action == "reject"


def test_refused_reload_keeps_the_last_valid_ruleset(
    write_rules: WriteRules, caplog: pytest.LogCaptureFixture
) -> None:
    root, clock = write_rules({"house.yaml": V1}), Clock()
    store = RulesStore(root, reload_seconds=0, clock=clock)
    live = store.get()
    touch(root / "house.yaml", BROKEN)
    with caplog.at_level(logging.ERROR, logger="moderation.rules.store"):
        assert store.get() is live
    assert live.evaluate(CommentFacts(body="alpha")).rule_id == "one"  # evaluation continues
    assert store.last_error is not None
    assert [str(e) for e in store.last_error.errors] == [
        "house.yaml:2: rules[0].then: Must be one of: approve, review, reject, flag."
    ]
    assert "refused reload" in caplog.text
    status = store.status()
    assert status["active"]["version"] == live.version
    assert status["last_refused"]["errors"][0] == {
        "file": "house.yaml",
        "line": 2,
        "key": "rules[0].then",
        "message": "Must be one of: approve, review, reject, flag.",
    }
    caplog.clear()
    assert store.get() is live and not caplog.text  # refused once, not on every check
    touch(root / "house.yaml", V2)
    assert store.get().rule_ids == ("two",)
    assert store.last_error is None and store.status()["last_refused"] is None


def test_new_list_file_content_triggers_reload(write_rules: WriteRules) -> None:
    root = write_rules(
        {
            "house.yaml": "lists:\n  l: {file: l.txt}\n"
            "rules:\n  - {id: w, if: {body: {words: '@l'}}, then: review}\n",
            "l.txt": "alpha\n",
        }
    )
    store = RulesStore(root, reload_seconds=0)
    assert store.get().evaluate(CommentFacts(body="beta")).rule_id is None
    touch(root / "l.txt", "alpha\nbeta\n")
    assert store.get().evaluate(CommentFacts(body="beta")).rule_id == "w"


def test_never_valid_raises_a_clear_error(write_rules: WriteRules) -> None:
    root = write_rules({"house.yaml": BROKEN})
    store = RulesStore(root, reload_seconds=0)
    with pytest.raises(RulesUnavailable, match="no valid ruleset") as info:
        store.get()
    assert info.value.errors and info.value.errors[0].line == 2
    assert store.status()["active"] is None
    touch(root / "house.yaml", V1)
    assert store.get().rule_ids == ("one",)


def test_missing_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(RulesUnavailable):
        RulesStore(tmp_path / "absent").get()


def test_thresholds_change_revalidates(write_rules: WriteRules) -> None:
    root = write_rules(
        {"house.yaml": "rules:\n  - {id: t, if: {score: {toxicity: likely}}, then: review}\n"}
    )
    thresholds: dict[str, list[str]] | None = {"toxicity": ["very_likely"]}
    store = RulesStore(root, thresholds_provider=lambda: thresholds, reload_seconds=0)
    with pytest.raises(RulesUnavailable, match="has no 'likely' threshold"):
        store.get()
    thresholds = {"toxicity": ["likely", "very_likely"]}
    assert store.get().rule_ids == ("t",)
    thresholds = {"toxicity": []}  # a model without it: the last valid ruleset stays
    assert store.get().rule_ids == ("t",)
    assert store.last_error is not None
    thresholds = None  # no model: no scores, the rule compiles and never fires
    assert store.get().rule_ids == ("t",)
    assert store.last_error is None


def test_reload_forces_a_check(write_rules: WriteRules) -> None:
    root = write_rules({"house.yaml": V1})
    store = RulesStore(root, reload_seconds=3600)
    store.get()
    touch(root / "house.yaml", V2)
    assert store.reload() is True
    assert store.get().rule_ids == ("two",)
    assert store.reload() is False
