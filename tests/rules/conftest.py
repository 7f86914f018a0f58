"""Fixtures for the rules engine tests: rule directories written on the fly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from moderation.accounts.service import add_user
from moderation.extensions import db
from moderation.rules.engine import Ruleset
from moderation.rules.loader import compile_ruleset, load_ruleset
from moderation.rules.views import bp

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RULES = ROOT / "rules"

WriteRules = Callable[..., Path]


@pytest.fixture
def write_rules(tmp_path: Path) -> WriteRules:
    """Write ``{relative path: text}`` files into a fresh rules directory and return it."""

    def write(files: dict[str, str], directory: Path | None = None) -> Path:
        root = directory or tmp_path / "rules"
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
        root.mkdir(parents=True, exist_ok=True)
        return root

    return write


@pytest.fixture(scope="session")
def default_ruleset() -> Ruleset:
    """The shipped default ruleset."""
    return load_ruleset(DEFAULT_RULES)


def ruleset_from(yaml_text: str, lists: dict[str, str] | None = None, **kwargs: object) -> Ruleset:
    """Compile one rule file held in a string."""
    return compile_ruleset({"main.yaml": yaml_text}, lists or {}, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def api(app: Flask) -> FlaskClient:
    """A client of the app with the rules blueprint."""
    if "rules" not in app.blueprints:  # until the lead registers the blueprint in create_app
        app.register_blueprint(bp)
    return app.test_client()


def bearer(role: str = "admin") -> dict[str, str]:
    """Authorization headers of a new user with ``role``."""
    _, token = add_user(db.session, name=f"u-{role}", role=role)
    return {"Authorization": f"Bearer {token}"}
