"""Shared fixtures: a fresh SQLite app per test (inline jobs), a site, a receiver, moderators."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from harness.receiver import Receiver
from moderation.app import create_app
from moderation.dbcli import upgrade
from moderation.extensions import db
from moderation.sites.service import add_site
from tests.helpers import QUEUE_RULES, Moderator, SiteClient, api_user, make_app, reconfigure

# Apps built by tests load scoring when a test first scores, as they always did (a test
# may write the rules after building its app); tests/test_warm_start.py turns
# the warm start on. Processes the tests start inherit this.
os.environ.setdefault("MODERATION_WARM_START", "0")

pytest_plugins = [
    # Real PostgreSQL, Redis, gunicorn and workers (``pg_url``, ``pg_app``, ``web``, ``worker``...).
    "tests.fixtures.services",
    # The tiny classifier (``corpus``, ``trained``, ``model``, ``models_dir``...) for every area.
    "tests.fixtures.tinymodel",
]


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated once per session; each test copies it."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "test"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


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
def receiver() -> Iterator[Receiver]:
    """A real HTTP callback receiver on loopback."""
    with Receiver() as server:
        yield server


@pytest.fixture
def site(app: Flask, receiver: Receiver) -> SiteClient:
    """A site whose callbacks go to ``receiver``, with a signing client."""
    created, secret = add_site(db.session, slug="demo", callback_url=receiver.url)
    receiver.secrets.append(secret)
    return SiteClient(app.test_client(), created.slug, secret)


@pytest.fixture
def house(app: Flask, tmp_path: Path) -> Flask:
    """Score with the review-queue house rules (an area may override it with its own)."""
    (tmp_path / "rules" / "house.yaml").write_text(QUEUE_RULES)
    reconfigure(app)
    return app


@pytest.fixture
def alice(house: Flask) -> Moderator:
    """A moderator on ``house``."""
    return api_user(house, "alice", "moderator")


@pytest.fixture
def bob(house: Flask) -> Moderator:
    """Another moderator on ``house``."""
    return api_user(house, "bob", "moderator")


@pytest.fixture
def root(house: Flask) -> Moderator:
    """An admin on ``house``."""
    return api_user(house, "root", "admin")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the fault-injection test last: it is the slowest."""
    items.sort(key=lambda item: item.get_closest_marker("faults") is not None)
