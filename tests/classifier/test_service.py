"""The active model: ACTIVE, promotion, caching, integrity, the score line protocol."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from moderation.app import create_app
from moderation.classifier import artifact, service
from moderation.classifier.artifact import ModelIntegrityError
from moderation.classifier.model import LinearModel
from moderation.config import Config


def test_models_and_rules_dirs_resolve_from_the_working_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The same from a checkout and an installed wheel: never relative to the source files.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MODERATION_MODELS_DIR", raising=False)
    monkeypatch.setenv("MODERATION_RULES_DIR", "house")
    config = Config()
    assert str(tmp_path / "models") == config.MODELS_DIR
    assert str(tmp_path / "house") == config.RULES_DIR
    monkeypatch.setenv("MODERATION_MODELS_DIR", str(tmp_path / "abs"))
    assert str(tmp_path / "abs") == Config().MODELS_DIR


def test_create_app_builds_the_model_and_rules_stores_once(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": "sqlite://", "MODELS_DIR": str(tmp_path)})
    with app.app_context():
        assert service.model_store() is app.extensions["models"]
        assert service.model_store().directory == tmp_path


def test_no_model_installed_is_none(tmp_path: Path) -> None:
    assert service.ModelStore(tmp_path).current() is None
    assert service.ModelStore(tmp_path / "missing").current() is None


def test_active_naming_a_missing_version_is_none(tmp_path: Path) -> None:
    (tmp_path / service.ACTIVE).write_text("clf-20000101-000000000000\n")
    assert service.ModelStore(tmp_path).current() is None


def test_promote_then_load_once(models_dir: Path, version: str) -> None:
    service.promote(models_dir, version)
    assert (models_dir / service.ACTIVE).read_text().strip() == version
    store = service.ModelStore(models_dir)
    first = store.current()
    assert first is not None and first.version == version
    assert store.current() is first


def test_a_new_promotion_is_picked_up(models_dir: Path, version: str, model: LinearModel) -> None:
    service.promote(models_dir, version)
    store = service.ModelStore(models_dir)
    assert store.current() is not None
    variant = dataclasses.replace(model, info={**model.info, "variant": 2})
    other = artifact.save(variant, models_dir).name
    service.promote(models_dir, other)
    current = store.current()
    assert current is not None and current.version == other != version


def test_tampered_active_model_raises(models_dir: Path, version: str) -> None:
    service.promote(models_dir, version)
    path = models_dir / version / artifact.ARTIFACT
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError):
        service.ModelStore(models_dir).current()


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
        service.ModelStore(tmp_path).current()


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


def test_thresholds_never_reached_are_offered_but_never_fire(
    models_dir: Path, model: LinearModel
) -> None:
    table = {
        lang: {label: dict(v) for label, v in t.items()}
        for lang, t in model.threshold_table.items()
    }
    for lang in table:
        table[lang]["threat"] = {"likely": 0.5, "very_likely": None}
    variant = dataclasses.replace(model, threshold_table=table)
    service.promote(models_dir, artifact.save(variant, models_dir).name)
    store = service.ModelStore(models_dir)
    names = store.named_thresholds()
    assert names is not None and names["threat"] == {"likely", "very_likely"}
    current = store.current()
    assert current is not None and current.thresholds("fr")["threat"] == {"likely": 0.5}
