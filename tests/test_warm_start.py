"""A serving process loads scoring while it starts, not in its first (Coral) requests."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from moderation.app import create_app
from moderation.classifier import service
from moderation.text import language
from tests.helpers import EMPTY_RULES


def _app(tmp_path: Path, models_dir: Path, warm: bool) -> Flask:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "house.yaml").write_text(EMPTY_RULES)
    config = {"DATABASE_URL": "sqlite://", "SECRET_KEY": "x", "WARM_START": warm}
    return create_app({**config, "RULES_DIR": str(rules), "MODELS_DIR": str(models_dir)})


def test_create_app_loads_the_rules_the_model_and_language_detection(
    tmp_path: Path, models_dir: Path, version: str
) -> None:
    service.promote(models_dir, version)
    language._identifier.cache_clear()  # another test may have loaded it
    app = _app(tmp_path, models_dir, warm=True)
    assert app.extensions["rules"].loaded_at is not None
    assert app.extensions["models"]._loaded.version == version
    assert language._identifier.cache_info().currsize == 1


def test_without_warm_start_scoring_loads_on_first_use(
    tmp_path: Path, models_dir: Path, version: str
) -> None:
    service.promote(models_dir, version)
    app = _app(tmp_path, models_dir, warm=False)
    assert app.extensions["rules"].loaded_at is None
    assert app.extensions["models"]._loaded is None


def test_a_broken_model_does_not_stop_the_start(tmp_path: Path, models_dir: Path) -> None:
    (models_dir / service.ACTIVE).write_text("../elsewhere\n")  # not a version name
    app = _app(tmp_path, models_dir, warm=True)
    assert app.extensions["models"]._loaded is None
