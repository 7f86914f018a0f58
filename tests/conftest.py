"""Shared fixtures: a fresh app per test on SQLite (inline seam), a site, a callback receiver."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from moderation import create_app
from moderation.dbcli import upgrade
from moderation.extensions import db
from moderation.sites.service import add_site
from tests.helpers import CallbackReceiver, SiteClient

EMPTY_RULES = "default: approve\nrules: []\n"


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated once per session; each test copies it."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "test"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


def make_app(database_url: str, tmp_path: Path, **overrides: object) -> Flask:
    """An app configured for tests: inline seam, loopback callbacks allowed, no model."""
    rules = tmp_path / "rules"
    if not rules.exists():
        rules.mkdir()
        (rules / "house.yaml").write_text(EMPTY_RULES)
    models = tmp_path / "models"
    models.mkdir(exist_ok=True)
    config = {
        "DATABASE_URL": database_url,
        "SCORING": "inline",
        "ALLOW_PRIVATE_CALLBACKS": True,
        "SECRET_KEY": "test-secret-key",
        "CELERY_BROKER_URL": "memory://",
        "RULES_DIR": str(rules),
        "MODELS_DIR": str(models),
        "CALLBACK_TIMEOUT_SECONDS": 5.0,
        "LOG_LEVEL": "WARNING",
        # Limits have their own tests; elsewhere they would only add noise.
        "RATE_LIMITS_ENABLED": False,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app(tmp_path: Path, migrated_sqlite: Path) -> Iterator[Flask]:
    """A fresh app and database for one test."""
    path = tmp_path / "db.sqlite"
    shutil.copy(migrated_sqlite, path)
    application = make_app(f"sqlite:///{path}", tmp_path)
    with application.app_context():
        yield application
        db.remove()
        db.engine.dispose()


@pytest.fixture
def receiver() -> Iterator[CallbackReceiver]:
    """A real HTTP callback receiver on loopback."""
    with CallbackReceiver() as server:
        yield server


@pytest.fixture
def site(app: Flask, receiver: CallbackReceiver) -> SiteClient:
    """A site whose callbacks go to ``receiver``, with a signing client."""
    created, secret = add_site(db.session, slug="demo", callback_url=receiver.url)
    receiver.secrets.append(secret)
    return SiteClient(app.test_client(), created.slug, secret)
