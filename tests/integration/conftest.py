"""Real PostgreSQL, Redis, gunicorn and Celery worker processes for integration tests.

Only the database in ``TEST_DATABASE_URL`` and the Redis database in
``TEST_REDIS_URL`` are touched: our tables there are dropped and migrated afresh,
that Redis database is flushed. Skipped when the services are unreachable, except
under ``MODERATION_REQUIRE_SERVICES=1`` (CI), where that is a failure.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis
from flask import Flask

from harness.database import empty_tables, flush_redis, reset_database
from harness.procs import ROOT, Proc
from harness.receiver import Receiver
from harness.services import libpq
from harness.stack import StartError, start_web, start_worker
from moderation.extensions import db
from moderation.sites.service import add_site
from tests.helpers import QUEUE_RULES, HttpSite, make_app, unavailable


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The given PostgreSQL database, with our tables dropped and migrated afresh."""
    url = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    try:
        psycopg.connect(libpq(url), connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        unavailable("PostgreSQL", exc)
    reset_database(url)
    return url


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The given Redis database, emptied (only that one)."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        flush_redis(url)
    except redis.RedisError as exc:
        unavailable("Redis", exc)
    return url


@pytest.fixture(scope="session")
def stack_env(
    pg_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """Environment shared by the test process, gunicorn and the workers."""
    tmp = tmp_path_factory.mktemp("stack")
    rules = tmp / "rules"
    rules.mkdir()
    (rules / "house.yaml").write_text(QUEUE_RULES)
    (tmp / "models").mkdir()
    return {
        **os.environ,
        "DATABASE_URL": pg_url,
        "CELERY_BROKER_URL": redis_url,
        "REDIS_URL": redis_url,
        "MODERATION_SECRET_KEY": "integration-secret",
        "MODERATION_ALLOW_PRIVATE_CALLBACKS": "1",
        "MODERATION_RULES_DIR": str(rules),
        "MODERATION_MODELS_DIR": str(tmp / "models"),
        "MODERATION_SWEEP_AFTER_SECONDS": "2",
        "MODERATION_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


@pytest.fixture
def pg_app(stack_env: dict[str, str], tmp_path: Path) -> Iterator[Flask]:
    """An in-process app on the integration database (Celery jobs), tables emptied first."""
    app = make_app(
        stack_env["DATABASE_URL"],
        tmp_path,
        SCORING="celery",
        CELERY_BROKER_URL=stack_env["CELERY_BROKER_URL"],
        SECRET_KEY=stack_env["MODERATION_SECRET_KEY"],
        RULES_DIR=stack_env["MODERATION_RULES_DIR"],
        SWEEP_AFTER_SECONDS=2,
    )
    empty_tables(stack_env["DATABASE_URL"])
    flush_redis(stack_env["REDIS_URL"])
    with app.app_context():
        yield app
        db.remove()
        db.engine.dispose()


@pytest.fixture
def web(stack_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    """gunicorn serving the app over real HTTP; yields its base URL."""
    try:
        proc, base = start_web(stack_env, tmp_path / "web.log")
    except StartError as exc:
        pytest.fail(str(exc))
    yield base
    proc.kill(signal.SIGTERM)


@pytest.fixture
def worker(stack_env: dict[str, str], tmp_path: Path) -> Iterator[Proc]:
    """One real Celery worker process for the test."""
    proc = start_worker(stack_env, tmp_path / "worker.log")
    yield proc
    proc.kill()


@pytest.fixture
def http_site(pg_app: Flask, web: str, receiver: Receiver) -> HttpSite:
    """The ``demo`` site, its callbacks to ``receiver``, signing over real HTTP."""
    created, secret = add_site(db.session, slug="demo", callback_url=receiver.url)
    db.session.commit()
    receiver.secrets.append(secret)
    return HttpSite(web, created.slug, secret)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the fault-injection test last: it is the slowest."""
    items.sort(key=lambda item: item.get_closest_marker("faults") is not None)
