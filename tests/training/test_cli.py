"""``moderation model ...`` commands through click's runner, inside a Flask app context."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from moderation.classifier import service
from moderation.training import crossreport
from moderation.training.cli import model_cli
from tests.fixtures.tinymodel import synthetic_cross_source


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in an empty folder: evaluate reads ./functional when it exists (the checkout's)."""
    monkeypatch.chdir(tmp_path)


def _invoke(app: Flask, args: list[str], stdin: str = "") -> tuple[int, str]:
    with app.app_context():
        result = CliRunner().invoke(model_cli, args, input=stdin)
    return result.exit_code, result.output


def test_score_keeps_order_and_reports_bad_lines(
    model_app: Flask, models_dir: Path, version: str
) -> None:
    service.promote(models_dir, version)
    lines = [
        json.dumps({"id": "1", "text": "Espèce de connard"}),
        "{oops",
        json.dumps({"id": "3"}),
        "",
        json.dumps({"id": 4, "text": "thanks for this article", "language": "en"}),
    ]
    code, output = _invoke(model_app, ["score"], "\n".join(lines) + "\n")
    assert code == 0, output
    out = [json.loads(line) for line in output.splitlines()]
    assert [o.get("id") for o in out] == ["1", None, "3", 4]
    assert out[0]["language"] == "fr" and out[0]["scores"]["toxicity"] > 0.5
    assert out[1]["line"] == 2 and "JSON" in out[1]["error"]
    assert out[2]["line"] == 3 and "text" in out[2]["error"]
    assert out[3]["language"] == "en" and out[3]["scores"]["toxicity"] < 0.5


def test_score_without_a_model_fails(tmp_path: Path) -> None:
    app = Flask(__name__)
    app.config["MODELS_DIR"] = str(tmp_path)
    code, output = _invoke(app, ["score"], '{"id": "1", "text": "x"}\n')
    assert code == 1 and "no model installed" in output


def test_promote_list_and_evaluate(model_app: Flask, models_dir: Path, version: str) -> None:
    code, output = _invoke(model_app, ["promote", version])
    assert code == 0 and (models_dir / "ACTIVE").read_text().strip() == version
    code, output = _invoke(model_app, ["list"])
    assert code == 0 and f"* {version}" in output
    code, output = _invoke(model_app, ["evaluate"])
    assert code == 0 and "baseline" in output and "fr" in output
    report = json.loads((models_dir / version / "metrics.json").read_text())
    assert set(report["languages"]) == {"fr", "en"}
    assert "model" in report["languages"]["fr"] and "baseline" in report["languages"]["fr"]
    assert (models_dir / version / "report.md").exists()


def test_promote_unknown_version_fails(model_app: Flask) -> None:
    code, output = _invoke(model_app, ["promote", "clf-20000101-000000000000"])
    assert code == 1 and "missing" in output


def test_evaluate_prints_the_validation_table_without_cross_source_files(
    model_app: Flask, models_dir: Path, version: str
) -> None:
    code, output = _invoke(model_app, ["evaluate", version])
    assert code == 0, output
    assert "vs baseline" in output and "ceiling" not in output
    assert "cross-source: no file for this model" in output


def test_evaluate_prints_the_cross_source_table_its_cut_offs_came_from(
    model_app: Flask, models_dir: Path, version: str, tmp_path: Path
) -> None:
    (tmp_path / "var" / "crossval").mkdir(parents=True)
    kept = tmp_path / "var" / "crossval" / "grouped.npz"
    synthetic_cross_source().save(kept)
    code, output = _invoke(model_app, ["evaluate", version, "--crossval", str(kept)])
    assert code == 0, output
    assert f"cross-source ({kept}" in output and "fr (mean of sources)" in output
    info = {"operating_points_sha256": hashlib.sha256(kept.read_bytes()).hexdigest()}
    assert crossreport.file_of(info, kept.parent) == kept  # the default, found by digest
    assert crossreport.file_of({}, kept.parent) is None


RULES = """
rules:
  - {id: hate, if: {body: {words: [vermine]}}, then: reject, reason: hate}
default: approve
"""


def _suite(folder: Path) -> Path:
    folder.mkdir()
    cases = {
        "dev": [("Les X, c'est de la vermine.", "hateful"), ("Bonjour à tous.", "non-hateful")],
        "heldout": [("Les X sont des rats.", "hateful")],
    }
    for split, texts in cases.items():
        lines = [
            json.dumps({"id": f"{split}-{i}", "text": text, "label": label, "language": "fr",
                        "functionality": "derogation_emotion" if label == "hateful"
                        else "neutral_identity", "group": None, "template": "t"})
            for i, (text, label) in enumerate(texts)
        ]  # fmt: skip
        (folder / f"fr.{split}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_evaluate_prints_the_functional_suite_with_the_house_rules(
    model_app: Flask, version: str, tmp_path: Path
) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "house.yaml").write_text(RULES, encoding="utf-8")
    model_app.config["RULES_DIR"] = str(tmp_path / "rules")
    _suite(tmp_path / "functional")
    code, output = _invoke(model_app, ["evaluate", version])
    assert code == 0, output
    assert "French functional suite" in output and "English functional suite" not in output
    row = next(line for line in output.splitlines() if line.startswith("derogation_emotion"))
    assert [cell.split() for cell in row.split("|")[1:]] == [
        ["1", "1.000", "1.000"], ["1", "0.000", "0.000"], ["2", "0.500", "0.500"],
    ]  # fmt: skip
    assert "  hateful caught >= 0.90: 0.500 (NOT met)" in output


def test_evaluate_names_a_missing_suite(model_app: Flask, version: str) -> None:
    code, output = _invoke(model_app, ["evaluate", version, "--suite", "nowhere"])
    assert code == 1 and "no functional suite in nowhere" in output


def test_promote_refuses_a_model_the_house_rules_do_not_compile_against(
    model_app: Flask, models_dir: Path, version: str
) -> None:
    # The default rules name `review` thresholds; the tiny model has none until derived.
    model_app.config["RULES_DIR"] = str(Path(__file__).resolve().parents[2] / "rules")
    code, output = _invoke(model_app, ["promote", version])
    assert code == 1 and "review" in output and "operating-points" in output
    assert not (models_dir / "ACTIVE").exists()
