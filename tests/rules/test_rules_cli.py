"""``moderation rules check|test`` through click's runner, and the shipped default ruleset."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from moderation.rules.cli import rules_cli
from moderation.rules.engine import Ruleset
from moderation.rules.testcases import facts_from_case, run_tests
from tests.rules.conftest import DEFAULT_RULES, WriteRules

GOOD = (
    "rules:\n  - {id: w, if: {body: {words: [alpha]}}, then: review}\n"
    "tests:\n  - {body: alpha, expect: review, rule: w}\n"
)


def test_check_ok(write_rules: WriteRules) -> None:
    result = CliRunner().invoke(rules_cli, ["check", str(write_rules({"a.yaml": GOOD}))])
    assert result.exit_code == 0, result.output
    assert "ok: 1 rules, 1 tests, sha256:" in result.output


def test_check_prints_file_line_errors_and_exits_1(write_rules: WriteRules) -> None:
    root = write_rules(
        {"a.yaml": "rules:\n  - id: x\n    if: {body: {regex: '(?<=a)b'}}\n    then: review\n"}
    )
    result = CliRunner().invoke(rules_cli, ["check", str(root)])
    assert result.exit_code == 1
    assert f"{root}/a.yaml:3: rules[0].if.body.regex: invalid regex" in result.output


def test_check_defaults_to_the_env_directory(
    write_rules: WriteRules, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODERATION_RULES_DIR", str(write_rules({"a.yaml": GOOD})))
    assert CliRunner().invoke(rules_cli, ["check"]).exit_code == 0


def test_check_with_thresholds_file(write_rules: WriteRules, tmp_path: Path) -> None:
    root = write_rules(
        {"a.yaml": "rules:\n  - {id: t, if: {score: {toxicity: likely}}, then: review}\n"}
    )
    assert CliRunner().invoke(rules_cli, ["check", str(root)]).exit_code == 0  # no model
    thresholds = tmp_path / "t.json"
    thresholds.write_text(json.dumps({"toxicity": ["very_likely"]}))
    args = ["check", str(root), "--thresholds", str(thresholds)]
    assert CliRunner().invoke(rules_cli, args).exit_code == 1  # the model lacks it
    thresholds.write_text(json.dumps({"toxicity": ["likely", "very_likely"]}))
    assert CliRunner().invoke(rules_cli, args).exit_code == 0


def test_test_names_each_failing_case(write_rules: WriteRules) -> None:
    bad = (
        GOOD + "  - {body: beta, expect: review}\n  - {body: alpha, expect: reject, reason: nope}\n"
    )
    root = write_rules({"a.yaml": bad})
    result = CliRunner().invoke(rules_cli, ["test", str(root)])
    assert result.exit_code == 1
    assert f"{root}/a.yaml:5: 'beta': expected review, got approve (default)" in result.output
    assert f"{root}/a.yaml:6: 'alpha': expected reject, got review (rule 'w')" in result.output
    assert "1 passed, 2 failed" in result.output


def test_test_on_an_invalid_directory_exits_1(write_rules: WriteRules) -> None:
    result = CliRunner().invoke(rules_cli, ["test", str(write_rules({"a.yaml": "rules: 3\n"}))])
    assert result.exit_code == 1
    assert "a.yaml:1: rules: Not a valid list." in result.output


def test_default_ruleset_own_tests_pass() -> None:
    result = CliRunner().invoke(rules_cli, ["test", str(DEFAULT_RULES)])
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.output


def test_every_default_rule_has_a_test_that_it_decides_or_labels(default_ruleset: Ruleset) -> None:
    covered = set()
    for result in run_tests(default_ruleset):
        covered.update(h.rule_id for h in result.verdict.hits)
    assert set(default_ruleset.rule_ids) <= covered


def news_sentences() -> list[str]:
    path = Path(__file__).with_name("news_sentences.txt")
    return [s for s in path.read_text("utf-8").splitlines() if s and not s.startswith("#")]


def test_there_are_enough_news_sentences() -> None:
    assert len(news_sentences()) >= 50


@pytest.mark.parametrize("sentence", news_sentences())
def test_ordinary_news_comments_are_approved_without_labels(
    default_ruleset: Ruleset, sentence: str
) -> None:
    verdict = default_ruleset.evaluate(
        facts_from_case({"body": sentence, "author": {"approved_count": 10}})
    )
    assert (verdict.action, verdict.hits) == ("approve", ())
