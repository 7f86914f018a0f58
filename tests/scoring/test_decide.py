"""``moderation rules decide``: the live pipeline's decision per JSON line, nothing stored."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from flask import Flask

from moderation.classifier import service
from moderation.classifier.model import LinearModel
from moderation.cli import build_cli
from moderation.rules.engine import Ruleset
from moderation.rules.loader import compile_ruleset
from moderation.scoring.decide import decide_lines

RULES = """
rules:
  - {id: insults, if: {body: {words: [connard]}}, then: review, reason: insult}
  - {id: toxic, priority: 10, if: {score: {toxicity: ">= 0.99"}}, then: reject, reason: toxic}
default: approve
"""


def _ruleset() -> Ruleset:
    return compile_ruleset({"house.yaml": RULES}, {})


def _invoke(app: Flask, args: list[str], stdin: str) -> tuple[int, list[dict[str, object]]]:
    with app.app_context():
        result = CliRunner().invoke(build_cli(), ["rules", *args], input=stdin)
    return result.exit_code, [json.loads(line) for line in result.output.splitlines()]


def test_decides_each_line_in_order_and_reports_bad_ones(model: LinearModel) -> None:
    lines = [
        json.dumps({"id": "a", "body": "merci pour cet article", "language": "fr"}),
        "{oops",
        json.dumps({"id": "c", "author": {}}),
        json.dumps({"id": "d", "body": "espèce de connard"}),
    ]
    out = list(decide_lines(lines, _ruleset(), scorer=lambda: model))
    assert [o.get("id") for o in out] == ["a", None, "c", "d"]
    assert out[0]["action"] == "approve" and out[0]["language"] == "fr"
    assert set(out[0]["scores"]) == set(model.labels)
    assert out[1]["line"] == 2 and str(out[1]["error"]).startswith("invalid JSON")
    assert "'body' must be a string" in str(out[2]["error"])
    assert out[3]["action"] in ("review", "reject")
    assert "insults" in [hit["id"] for hit in out[3]["rules"]]  # type: ignore[index]


def test_sanctions_in_the_input_are_enforced(model: LinearModel) -> None:
    cases = [
        {"id": 1, "body": "merci pour cet article", "author": {"sanctions": ["ban"]}},
        {"id": 2, "body": "merci pour cet article", "author": {"sanctions": ["premoderate"]}},
        {"id": 3, "body": "merci pour cet article", "author": {"sanctions": ["suspend"]}},
    ]
    out = list(decide_lines([json.dumps(c) for c in cases], _ruleset(), scorer=lambda: model))
    assert [(o["action"], o["reason"]) for o in out] == [
        ("reject", "banned"),
        ("review", "premoderated"),
        ("reject", "suspended"),
    ]


def test_without_a_model_the_rules_still_decide() -> None:
    line = json.dumps({"id": 1, "body": "espèce de connard"})
    (out,) = decide_lines([line], _ruleset(), scorer=lambda: None)
    assert (out["action"], out["rule"], out["scores"]) == ("review", "insults", {})


def test_cli_uses_the_promoted_model_and_the_given_rules(
    model_app: Flask, models_dir: Path, version: str, tmp_path: Path
) -> None:
    service.init_models(model_app)
    service.promote(models_dir, version)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "house.yaml").write_text(RULES)
    stdin = json.dumps({"id": 7, "body": "thanks for this article", "language": "en"}) + "\nx\n"
    code, out = _invoke(model_app, ["decide", str(rules)], stdin)
    assert code == 0
    assert out[0]["id"] == 7 and out[0]["action"] == "approve" and out[0]["scores"]
    assert out[1]["line"] == 2 and "error" in out[1]


def test_cli_rejects_an_invalid_rules_directory(model_app: Flask, tmp_path: Path) -> None:
    service.init_models(model_app)
    (tmp_path / "bad.yaml").write_text("rules: 3\n")
    with model_app.app_context():
        result = CliRunner().invoke(build_cli(), ["rules", "decide", str(tmp_path)], input="")
    assert result.exit_code == 1
