"""``moderation model ...`` commands through click's runner, inside a Flask app context."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from flask import Flask

from moderation.classifier import service
from moderation.training.cli import model_cli


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
    assert "vs baseline" in output and "crossval" not in output and "ceiling" not in output
