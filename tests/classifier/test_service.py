"""The active model: ACTIVE, promotion, caching, integrity, the score line protocol."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from flask import Flask

from moderation.classifier import artifact, service
from moderation.classifier.artifact import ModelIntegrityError
from moderation.classifier.model import LinearModel


def test_models_dir_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MODERATION_MODELS_DIR", raising=False)
    assert service.models_dir() == service.REPO_ROOT / "models"
    monkeypatch.setenv("MODERATION_MODELS_DIR", str(tmp_path))
    assert service.models_dir() == tmp_path
    app = Flask(__name__)
    app.config["MODELS_DIR"] = "elsewhere"
    with app.app_context():
        assert service.models_dir() == service.REPO_ROOT / "elsewhere"


def test_no_model_installed_is_none(tmp_path: Path) -> None:
    assert service.current_model(tmp_path) is None
    assert service.current_model(tmp_path / "missing") is None


def test_active_naming_a_missing_version_is_none(tmp_path: Path) -> None:
    (tmp_path / service.ACTIVE).write_text("clf-20000101-000000000000\n")
    assert service.current_model(tmp_path) is None


def test_promote_then_load_once(models_dir: Path, version: str) -> None:
    service.promote(models_dir, version)
    assert (models_dir / service.ACTIVE).read_text().strip() == version
    first = service.current_model(models_dir)
    assert first is not None and first.version == version
    assert service.current_model(models_dir) is first


def test_a_new_promotion_is_picked_up(models_dir: Path, version: str, model: LinearModel) -> None:
    service.promote(models_dir, version)
    assert service.current_model(models_dir) is not None
    variant = dataclasses.replace(model, info={**model.info, "variant": 2})
    other = artifact.save(variant, models_dir).name
    service.promote(models_dir, other)
    current = service.current_model(models_dir)
    assert current is not None and current.version == other != version


def test_tampered_active_model_raises(models_dir: Path, version: str) -> None:
    service.promote(models_dir, version)
    path = models_dir / version / artifact.ARTIFACT
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))
    service._loaded.clear()
    with pytest.raises(ModelIntegrityError):
        service.current_model(models_dir)


def test_promote_refuses_tampered_or_odd_versions(models_dir: Path, version: str) -> None:
    path = models_dir / version / artifact.ARTIFACT
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(ModelIntegrityError):
        service.promote(models_dir, version)
    assert not (models_dir / service.ACTIVE).exists()
    with pytest.raises(ModelIntegrityError):
        service.promote(models_dir, "../../etc")


def test_traversal_in_active_is_refused(tmp_path: Path) -> None:
    (tmp_path / service.ACTIVE).write_text("../outside\n")
    with pytest.raises(ModelIntegrityError):
        service.current_model(tmp_path)


def test_score_line_outputs_the_pinned_shape(model: LinearModel) -> None:
    line = json.dumps({"id": "1", "text": "Espèce de connard"})
    out = service.score_line(model, line, 1)
    assert set(out) == {"id", "scores", "language"}
    assert out["id"] == "1" and out["language"] == "fr"
    assert set(out["scores"]) == set(model.labels)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("{not json", {"line": 3}),
        ("[1, 2]", {"line": 3}),
        ('{"text": "x"}', {"line": 3}),
        ('{"id": true, "text": "x"}', {"line": 3}),
        ('{"id": "a", "text": 5}', {"line": 3, "id": "a"}),
        ('{"id": 7}', {"line": 3, "id": 7}),
        ('{"id": "a", "text": "x", "language": 1}', {"line": 3, "id": "a"}),
    ],
)
def test_score_line_reports_malformed_input(
    model: LinearModel, line: str, expected: dict[str, object]
) -> None:
    out = service.score_line(model, line, 3)
    assert {k: v for k, v in out.items() if k != "error"} == expected
    assert isinstance(out["error"], str) and out["error"]
