"""Issue 9.7: one run reports every error of a ruleset, each with file, line and key."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from moderation.rules.cli import rules_cli
from moderation.rules.loader import compile_ruleset
from moderation.rules.problems import RulesetInvalid
from moderation.rules.store import RulesStore
from tests.rules.conftest import WriteRules, bearer

# Unknown key (line 6), duplicate rule id (line 8), unknown action (line 10).
THREE_ERRORS = (
    "rules:\n"
    "  - id: one\n"
    "    if: {body: {length: '> 0'}}\n"
    "    then: review\n"
    "  - id: two\n"
    "    colour: red\n"
    "    if: {body: {length: '> 0'}}\n"
    "  - id: one\n"
    "    if: {body: {length: '> 1'}}\n"
    "    then: delete\n"
)
# One error of each class, spread over three files.
MANY = {
    "a.yaml": (
        "colour: red\n"  # 1 unknown top-level key: the rest of the file is still checked
        "lists:\n"
        "  broken: {file: lists/missing.txt}\n"  # 3 list file not found
        "rules:\n"
        "  - id: w\n"
        "    if: {body: {words: ['@nope', '@broken', '@gone'], regex: ['(a)\\1', '(?<=a)b']}}\n"
        "    then: review\n"
        "  - id: s\n"
        "    if: {score: {toxicity: very_likely, threat: likely}}\n"  # 9 two bad thresholds
        "    then: nuke\n"
    ),
    "b.yaml": (
        "rules:\n"
        "  - {id: w, if: {author: {trust: '<<'}}, then: review}\n"  # 2 duplicate id, bad comparison
        "tests:\n"
        "  - {body: x, expect: maybe, rule: ghost}\n"  # 4 bad expect and unknown rule
        "  - {body: x, expect: review, rule: s}\n"  # a rule that is invalid is still known
    ),
    "c.yaml": "rules: 3\ntests:\n  - {expect: review}\n",  # 1 not a list; 3 no body
}


def errors_of(files: dict[str, str], **kwargs: object) -> list[tuple[str, int, str]]:
    with pytest.raises(RulesetInvalid) as info:
        compile_ruleset(files, {}, **kwargs)  # type: ignore[arg-type]
    return [(e.file, e.line, e.key) for e in info.value.errors]


def test_unknown_key_duplicate_id_and_unknown_action_in_one_run() -> None:
    assert errors_of({"a.yaml": THREE_ERRORS}) == [
        ("a.yaml", 2, "rules[0].id"),
        ("a.yaml", 5, "rules[1].then"),
        ("a.yaml", 6, "rules[1].colour"),
        ("a.yaml", 8, "rules[2].id"),
        ("a.yaml", 10, "rules[2].then"),
    ]


def test_a_duplicate_id_names_both_places() -> None:
    with pytest.raises(RulesetInvalid) as info:
        compile_ruleset({"a.yaml": THREE_ERRORS}, {})
    messages = {str(e) for e in info.value.errors}
    assert "a.yaml:2: rules[0].id: rule id 'one' is defined again at a.yaml:8" in messages
    assert "a.yaml:8: rules[2].id: duplicate rule id 'one' (first defined at a.yaml:2)" in messages


def test_every_error_class_across_files_in_one_run() -> None:
    errors = errors_of(MANY, known_thresholds={"toxicity": ["likely"], "threat": []})
    assert errors == [
        ("a.yaml", 1, "colour"),
        ("a.yaml", 3, "lists.broken.file"),
        ("a.yaml", 5, "rules[0].id"),
        ("a.yaml", 6, "rules[0].if.body.regex"),
        ("a.yaml", 6, "rules[0].if.body.regex"),
        ("a.yaml", 6, "rules[0].if.body.words"),
        ("a.yaml", 6, "rules[0].if.body.words"),
        ("a.yaml", 9, "rules[1].if.score.threat"),
        ("a.yaml", 9, "rules[1].if.score.toxicity"),
        ("a.yaml", 10, "rules[1].then"),
        ("b.yaml", 2, "rules[0].id"),
        ("b.yaml", 2, "rules[0].if.author.trust"),
        ("b.yaml", 4, "tests[0].expect"),
        ("b.yaml", 4, "tests[0].rule"),
        ("c.yaml", 1, "rules"),
        ("c.yaml", 3, "tests[0].body"),
    ]


def test_a_broken_list_is_reported_once_not_at_each_use() -> None:
    with pytest.raises(RulesetInvalid) as info:
        compile_ruleset(MANY, {}, known_thresholds={"toxicity": ["likely"], "threat": []})
    words = [str(e) for e in info.value.errors if e.key == "rules[0].if.body.words"]
    assert sorted(words) == [
        "a.yaml:6: rules[0].if.body.words: unknown list '@gone' (lists: broken)",
        "a.yaml:6: rules[0].if.body.words: unknown list '@nope' (lists: broken)",
    ]


def test_cli_check_prints_every_error(write_rules: WriteRules) -> None:
    root = write_rules({"a.yaml": THREE_ERRORS})
    result = CliRunner().invoke(rules_cli, ["check", str(root)])
    assert result.exit_code == 1
    for line in (6, 8, 10):
        assert f"{root}/a.yaml:{line}: " in result.output
    assert "5 error(s)" in result.output


def test_api_check_answers_every_error(api: FlaskClient) -> None:
    body = api.post(
        "/v1/rules/check", json={"files": {"a.yaml": THREE_ERRORS}}, headers=bearer()
    ).json
    assert body["valid"] is False
    assert [(e["file"], e["line"]) for e in body["errors"]] == [
        ("a.yaml", n) for n in (2, 5, 6, 8, 10)
    ]


def test_store_refusal_lists_every_error(write_rules: WriteRules) -> None:
    store = RulesStore(write_rules({"a.yaml": THREE_ERRORS}))
    assert store.reload() is False
    refused = store.status()["last_refused"]["errors"]
    assert [(e["line"], e["key"]) for e in refused] == [
        (2, "rules[0].id"),
        (5, "rules[1].then"),
        (6, "rules[1].colour"),
        (8, "rules[2].id"),
        (10, "rules[2].then"),
    ]


def test_api_backtest_refusal_keeps_every_error_of_a_line(api: FlaskClient) -> None:
    two_regexes = "rules:\n  - {id: r, if: {body: {regex: ['(a)\\1', '(?<=a)b']}}, then: nuke}\n"
    response = api.post(
        "/v1/rules/backtest", json={"files": {"a.yaml": two_regexes}}, headers=bearer()
    )
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_ruleset"
    (messages,) = response.json["error"]["fields"].values()
    assert len(messages) == 3, messages  # two bad regexes and a bad action, all on line 2
