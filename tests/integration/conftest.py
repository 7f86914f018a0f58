"""Real PostgreSQL, Redis, gunicorn and Celery worker processes for integration tests.

Skipped when the services are unreachable, except under
``MODERATION_REQUIRE_SERVICES=1`` (CI), where that is a failure.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis
import requests
from sqlalchemy import text
from sqlalchemy.engine import make_url

from moderation.dbcli import upgrade
from moderation.extensions import db
from moderation.models import Base
from moderation.sites.service import add_site
from tests.conftest import make_app
from tests.queue.conftest import RULES as QUEUE_RULES

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REQUIRED = os.environ.get("MODERATION_REQUIRE_SERVICES") == "1"


def _unavailable(what: str, exc: Exception) -> None:
    message = f"{what} unavailable: {exc}"
    if REQUIRED:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated."""
    base = make_url(
        os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )
    name = f"moderation_it_{uuid.uuid4().hex[:8]}"
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        _unavailable("PostgreSQL", exc)
    url = base.set(database=name).render_as_string(hide_password=False)
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The test Redis database, emptied."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_timeout=3).flushdb()
    except redis.RedisError as exc:
        _unavailable("Redis", exc)
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
    env = {
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
    app = make_app(
        pg_url, tmp, SCORING="celery", CELERY_BROKER_URL=redis_url, SECRET_KEY="integration-secret"
    )
    with app.app_context():
        upgrade(pg_url)
    return env


@pytest.fixture
def pg_app(stack_env: dict[str, str], tmp_path: Path) -> Iterator[object]:
    """An in-process app on the integration database (Celery seam), tables emptied first."""
    app = make_app(
        stack_env["DATABASE_URL"],
        tmp_path,
        SCORING="celery",
        CELERY_BROKER_URL=stack_env["CELERY_BROKER_URL"],
        SECRET_KEY=stack_env["MODERATION_SECRET_KEY"],
        RULES_DIR=stack_env["MODERATION_RULES_DIR"],
        SWEEP_AFTER_SECONDS=2,
    )
    with app.app_context():
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.session.commit()
        redis.Redis.from_url(stack_env["REDIS_URL"]).flushdb()
        yield app
        db.remove()
        db.engine.dispose()


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Proc:
    """A child process in its own process group, so a kill takes its children too."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log.open("ab")
        self.handle = subprocess.Popen(
            args,
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole group and reap the leader."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.handle.pid, sig)
        self.handle.wait(timeout=30)
        self.log.close()


def start_worker(env: dict[str, str], log: Path, concurrency: int = 2) -> Proc:
    """A real Celery worker process."""
    args = [
        str(BIN / "celery"),
        "-A",
        "workers.app",
        "worker",
        "--loglevel=WARNING",
        f"--concurrency={concurrency}",
        "--without-gossip",
        "--without-mingle",
        "-n",
        f"w{uuid.uuid4().hex[:6]}@%h",
    ]
    return Proc(args, env, log)


@pytest.fixture
def web(stack_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    """gunicorn serving the app over real HTTP; yields its base URL."""
    port = free_port()
    args = [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "moderation:create_app()"]
    proc = Proc(args, stack_env, tmp_path / "web.log")
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", timeout=1).ok:
                break
        except requests.RequestException:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("gunicorn did not start: " + (tmp_path / "web.log").read_text()[-2000:])
    yield base
    proc.kill(signal.SIGTERM)


@pytest.fixture
def worker(stack_env: dict[str, str], tmp_path: Path) -> Iterator[Proc]:
    """One real Celery worker process for the test."""
    proc = start_worker(stack_env, tmp_path / "worker.log")
    yield proc
    proc.kill()


@pytest.fixture
def http_site(pg_app, web, receiver):
    created, secret = add_site(db.session, slug="demo", callback_url=receiver.url)
    db.session.commit()
    receiver.secrets.append(secret)
    from tests.integration.test_real_path import HttpSite

    return HttpSite(web, created.slug, secret)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the fault-injection test last: it restarts the shared PostgreSQL and Redis."""
    items.sort(key=lambda item: item.get_closest_marker("faults") is not None)
