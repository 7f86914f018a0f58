"""Loading and validation: every class of invalid file, each reported with its exact line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from moderation.contracts import CommentFacts
from moderation.rules.loader import compile_ruleset, load_ruleset
from moderation.rules.problems import RulesetInvalid
from moderation.rules.testcases import facts_from_case
from tests.rules.conftest import WriteRules, ruleset_from


def errors_of(
    files: dict[str, str], lists: dict[str, str] | None = None, **kwargs: object
) -> list[str]:
    with pytest.raises(RulesetInvalid) as info:
        compile_ruleset(files, lists or {}, **kwargs)  # type: ignore[arg-type]
    return [str(e) for e in info.value.errors]


OK_RULE = "  - {id: ok, if: {body: {length: '> 0'}}, then: review}\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rules:\n  - id: x\n    if: {body: {words: [a]}\n", "a.yaml:4: invalid YAML"),
        ("rules:\n  - id: a\n    id: b\n", "a.yaml:3: invalid YAML"),
        ("colour: red\n", "a.yaml:1: colour: unknown key 'colour'"),
        (
            "rules:\n"
            + OK_RULE
            + "  - id: x\n    iff: {body: {length: '> 0'}}\n    then: review\n",
            "a.yaml:4: rules[1].iff: unknown key 'iff'",
        ),
        ("rules:\n  - id: x\n    then: review\n", "a.yaml:2: rules[0].if: missing required key"),
        (
            "rules:\n  - id: x\n    if: {body: {words: '@nope'}}\n    then: review\n",
            "a.yaml:3: rules[0].if.body.words: unknown list '@nope' (lists: none defined)",
        ),
        (
            "rules:\n  - id: x\n    if: {score: {toxic: '> 0.5'}}\n    then: review\n",
            "a.yaml:3: rules[0].if.score.toxic: unknown label 'toxic'",
        ),
        (
            "rules:\n  - id: x\n    if:\n      author:\n"
            "        approved_count: '<< 3'\n    then: review\n",
            "a.yaml:5: rules[0].if.author.approved_count: malformed comparison '<< 3'",
        ),
        (
            "rules:\n  - id: x\n    if: {body: {regex: '(a)\\1'}}\n    then: review\n",
            "a.yaml:3: rules[0].if.body.regex: invalid regex '(a)\\\\1'",
        ),
        (
            "rules:\n  - id: x\n    if: {body: {regex: '(?=x)y'}}\n    then: review\n",
            "a.yaml:3: rules[0].if.body.regex: invalid regex",
        ),
        (
            "rules:\n  - id: x\n    if: {body: {length: '> 0'}}\n    then: delete\n",
            "a.yaml:4: rules[0].then: Must be one of: approve, review, reject, flag.",
        ),
        (
            "rules:\n"
            + OK_RULE
            + "  - id: ok\n    if: {body: {length: '> 0'}}\n    then: review\n",
            "a.yaml:3: rules[1].id: duplicate rule id 'ok' (first defined at a.yaml:2)",
        ),
        (
            "rules:\n" + OK_RULE + "tests:\n  - body: x\n    expect: review\n    rule: ghost\n",
            "a.yaml:6: tests[0].rule: unknown rule 'ghost'",
        ),
        (
            "rules:\n" + OK_RULE + "tests:\n  - {body: x, expect: maybe}\n",
            "a.yaml:4: tests[0].expect: Must be one of: approve, review, reject.",
        ),
        (
            "rules:\n" + OK_RULE + "tests:\n  - {body: x, expect: review, scores: {toxic: 1}}\n",
            "a.yaml:4: tests[0].scores.toxic: Must be one of",
        ),
        (
            "rules:\n  - id: x\n    if: {weather: {rain: true}}\n    then: review\n",
            "a.yaml:3: rules[0].if.weather: unknown condition 'weather'",
        ),
        (
            "rules:\n  - id: x\n    if: {body: {colour: red}}\n    then: review\n",
            "a.yaml:3: rules[0].if.body.colour: unknown body check 'colour'",
        ),
        (
            "rules:\n  - id: x\n    if:\n      any: []\n    then: review\n",
            "a.yaml:4: rules[0].if.any: expected a non-empty list of conditions",
        ),
        (
            "rules:\n  - id: x\n    if:\n"
            "      history: {author_rate: '> 5 per fortnight'}\n    then: review\n",
            "a.yaml:4: rules[0].if.history.author_rate: malformed duration 'fortnight'",
        ),
        (
            "rules:\n  - id: x\n    if: {body: {has_link: 'yes'}}\n    then: review\n",
            "a.yaml:3: rules[0].if.body.has_link: expected true or false",
        ),
        (
            "rules:\n  - id: x\n    priority: high\n"
            "    if: {body: {length: '> 0'}}\n    then: review\n",
            "a.yaml:3: rules[0].priority: Not a valid integer.",
        ),
        (
            "lists:\n  l: {file: ../secret.txt}\n",
            "a.yaml:2: lists.l.file: list file '../secret.txt' must be a relative path",
        ),
        (
            "lists:\n  l: {file: lists/missing.txt}\n",
            "a.yaml:2: lists.l.file: list file 'lists/missing.txt' not found",
        ),
        (
            "rules:\n  - id: x\n    if: {score: {toxicity: probably}}\n    then: review\n",
            "a.yaml:3: rules[0].if.score.toxicity: malformed comparison 'probably'",
        ),
        ("- just\n- a list\n", "a.yaml:1: expected a mapping"),
    ],
)
def test_invalid_file_reports_file_line_and_key(text: str, expected: str) -> None:
    errors = errors_of({"a.yaml": text})
    assert any(e.startswith(expected) for e in errors), errors


def test_every_error_is_reported_not_just_the_first() -> None:
    text = (
        "rules:\n"
        "  - id: a\n    if: {body: {regex: '(a)\\1'}}\n    then: nope\n"
        "  - id: b\n    if: {author: {trust: '<<'}}\n    then: review\n"
    )
    errors = errors_of({"a.yaml": text})
    assert [e.split(":")[1] for e in errors] == ["3", "4", "6"]


def test_bad_term_in_list_file_is_reported_at_its_line() -> None:
    files = {
        "a.yaml": "lists:\n  l: {file: lists/l.txt}\n"
        "rules:\n  - {id: x, if: {body: {words: '@l'}}, then: review}\n"
    }
    errors = errors_of(files, {"lists/l.txt": "# header\nok\n!!!\n"})
    assert errors[0].startswith("lists/l.txt:3: rules[0].if.body.words: term '!!!' has no letters")


def test_duplicates_across_files() -> None:
    rule = "rules:\n  - {id: same, if: {body: {length: '> 0'}}, then: review}\n"
    errors = errors_of(
        {"a.yaml": rule, "b.yaml": "lists:\n  x: [a]\n" + rule, "c.yaml": "lists:\n  x: [b]\n"}
    )
    assert "b.yaml:4: rules[0].id: duplicate rule id 'same' (first defined at a.yaml:2)" in errors
    assert "c.yaml:2: lists.x: list 'x' is already defined in b.yaml:2" in errors


def test_only_one_file_may_set_default() -> None:
    errors = errors_of({"a.yaml": "default: approve\n", "b.yaml": "rules: []\ndefault: review\n"})
    assert errors == [
        "b.yaml:2: default: default is already set in a.yaml:1; only one file may set it"
    ]


def test_tests_may_reference_rules_of_other_files() -> None:
    ruleset = compile_ruleset(
        {
            "a.yaml": "rules:\n" + OK_RULE,
            "b.yaml": "tests:\n  - {body: x, expect: review, rule: ok}\n",
        },
        {},
    )
    assert len(ruleset.tests) == 1


def test_named_thresholds_compile_without_a_model_and_never_fire() -> None:
    text = "rules:\n  - {id: x, if: {score: {toxicity: review}}, then: reject}\ndefault: approve\n"
    ruleset = compile_ruleset({"a.yaml": text}, {}, known_thresholds=None)
    facts = facts_from_case({"body": "un texte", "scores": {"toxicity": 1.0}})
    assert ruleset.evaluate(facts).action == "approve"  # no model: no thresholds, no firing
    limits = {"toxicity": {"review": 0.4}}
    given = facts_from_case({"body": "un texte", "scores": {"toxicity": 0.5}, "thresholds": limits})
    assert ruleset.evaluate(given).action == "reject"


def test_named_thresholds_validate_against_the_model() -> None:
    text = "rules:\n  - id: x\n    if: {score: {toxicity: very_likely}}\n    then: review\n"
    errors = errors_of({"a.yaml": text}, known_thresholds={"toxicity": ["likely"]})
    assert errors == [
        "a.yaml:3: rules[0].if.score.toxicity: "
        "the model has no 'very_likely' threshold for 'toxicity' (has: likely)"
    ]
    compile_ruleset({"a.yaml": text}, {}, known_thresholds={"toxicity": ["likely", "very_likely"]})


def test_directory_loading_version_and_list_files(write_rules: WriteRules) -> None:
    root = write_rules(
        {
            "b.yaml": "lists:\n  l: {file: lists/l.txt}\n"
            "rules:\n  - {id: w, if: {body: {words: '@l'}}, then: reject}\n",
            "a.yaml": "default: review\n",
            "sub/c.yaml": "rules:\n" + OK_RULE.replace("ok", "c"),
            ".hidden.yaml": "this: is: not: loaded\n",
            "lists/l.txt": "# comment\nconnard  # trailing comment\n\n",
            "notes.txt": "ignored",
        }
    )
    ruleset = load_ruleset(root)
    assert ruleset.files == ("a.yaml", "b.yaml", "lists/l.txt", "sub/c.yaml")
    assert ruleset.rule_ids == ("w", "c")
    assert ruleset.default == "review"
    assert ruleset.version.startswith("sha256:") and len(ruleset.version) == 71
    assert ruleset.evaluate(CommentFacts(body="quel connard")).rule_id == "w"
    version = ruleset.version
    (root / "lists" / "l.txt").write_text("connard\nabruti\n")
    assert load_ruleset(root).version != version  # list files are part of the version
    assert load_ruleset(root).version == load_ruleset(root).version


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(RulesetInvalid, match="not found"):
        load_ruleset(tmp_path / "nope")


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|aa)+$", "(.*a){20}$", "(x+x+)+y"])
def test_catastrophic_regexes_run_in_linear_time(pattern: str) -> None:
    ruleset = ruleset_from(
        f"rules:\n  - id: r\n    if: {{body: {{regex: '{pattern}'}}}}\n    then: review\n"
    )
    body = "a" * 10_000 + "!" if "x" not in pattern else "x" * 10_000
    start = time.perf_counter()
    ruleset.evaluate(CommentFacts(body=body))
    assert time.perf_counter() - start < 0.5
