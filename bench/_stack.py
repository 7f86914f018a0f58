"""Shared by the benchmarks: their PostgreSQL and Redis, the service's processes, a receiver.

A benchmark runs on ``BENCH_DATABASE_URL`` / ``BENCH_REDIS_URL`` when given (our
tables there are dropped and migrated, that Redis database flushed), otherwise on
a private PostgreSQL and Redis started for it on free ports and removed afterwards.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from moderation.harness import database
from moderation.harness.procs import ROOT, Proc
from moderation.harness.receiver import Receiver
from moderation.harness.services import private_postgres, private_redis
from moderation.harness.stack import running, start_web, start_worker

DEVNULL = Path(os.devnull)


@dataclass(frozen=True)
class Services:
    """Where a benchmark's data goes."""

    database_url: str
    redis_url: str


@contextmanager
def services() -> Iterator[Services]:
    """The given database and Redis database (reset), or private servers if none is given."""
    with ExitStack() as stack:
        url = os.environ.get("BENCH_DATABASE_URL")
        if url:
            database.reset_database(url)
        else:
            # Durable settings: the figures should be those of a real server.
            url = stack.enter_context(private_postgres(fast=False)).create_database("bench")
        broker = os.environ.get("BENCH_REDIS_URL")
        if broker:
            database.flush_redis(broker)
        else:
            broker = stack.enter_context(private_redis()).url()
        yield Services(url, broker)


def flush_redis(env: dict[str, str]) -> None:
    """Empty the benchmark's Redis database (only that one)."""
    database.flush_redis(env["REDIS_URL"])


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int = 2, chdir: Path = ROOT) -> Iterator[str]:
    """Serve ``app`` with gunicorn on loopback; yield its base URL."""
    proc, base = start_web(env, DEVNULL, app=app, workers=workers, cwd=chdir)
    with running(proc):
        yield base


@contextmanager
def worker(
    env: dict[str, str], app: str = "workers.app", concurrency: int = 2, queues: str | None = None
) -> Iterator[Proc]:
    """A Celery worker process group, killed on exit."""
    with running(start_worker(env, DEVNULL, app=app, concurrency=concurrency, queues=queues)) as p:
        yield p


@contextmanager
def receiver() -> Iterator[str]:
    """A callback receiver on loopback that accepts everything; yields its URL."""
    with Receiver(check=False) as server:
        yield server.url


def machine() -> str:
    """One line describing where the figures were measured."""
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {sys.version.split()[0]}"


def bench_env(svc: Services) -> dict[str, str]:
    """Environment for the service's processes in a benchmark."""
    return {
        **os.environ,
        "DATABASE_URL": svc.database_url,
        "CELERY_BROKER_URL": svc.redis_url,
        "REDIS_URL": svc.redis_url,
        "MODERATION_SECRET_KEY": "bench",
        "MODERATION_ALLOW_PRIVATE_CALLBACKS": "1",
        "MODERATION_RATE_LIMITS": "0",
        "MODERATION_MAX_BACKLOG": "0",
        "MODERATION_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def prepare(svc: Services, callback_url: str) -> tuple[object, str]:
    """Migrate, create the ``bench`` site; return an in-process app and the site secret."""
    from moderation import create_app
    from moderation.dbcli import upgrade
    from moderation.extensions import db
    from moderation.sites.service import add_site

    overrides = {
        "DATABASE_URL": svc.database_url,
        "CELERY_BROKER_URL": svc.redis_url,
        "REDIS_URL": svc.redis_url,
        "SECRET_KEY": "bench",
        "ALLOW_PRIVATE_CALLBACKS": True,
        "RATE_LIMITS_ENABLED": False,
        "MAX_BACKLOG": 0,
        "LOG_LEVEL": "WARNING",
    }
    app = create_app(overrides)
    with app.app_context():
        upgrade()
        secret = add_site(db.session, slug="bench", callback_url=callback_url)[1]
        db.session.commit()
        db.remove()
    return app, secret
