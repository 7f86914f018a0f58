"""Shared by the benchmarks: their PostgreSQL and Redis, the service's processes, a receiver.

A benchmark runs on ``BENCH_DATABASE_URL`` / ``BENCH_REDIS_URL`` when given (our
tables there are dropped and migrated, that Redis database flushed), otherwise on
a private PostgreSQL and Redis started for it on free ports and removed afterwards.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from harness import database
from harness.procfile import command, entries
from harness.procs import ROOT, Proc, free_port, wait_until
from harness.receiver import Receiver
from harness.services import LOOPBACK, private_postgres, private_redis
from harness.stack import await_start, running, start_web, start_worker, web_up

DEVNULL = Path(os.devnull)
BENCH = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Services:
    """Where a benchmark's data goes."""

    database_url: str
    redis_url: str
    # A private server's main process, by name ("postgres", "redis"): its CPU is ours to count.
    servers: dict[str, int] = field(default_factory=dict)


@contextmanager
def services(listen: Sequence[str] = LOOPBACK, settings: Sequence[str] = ()) -> Iterator[Services]:
    """The given database and Redis database (reset), or private servers if none is given.

    ``listen`` and ``settings`` (PostgreSQL ``name=value``) apply to private servers only.
    """
    with ExitStack() as stack:
        url, servers = os.environ.get("BENCH_DATABASE_URL"), {}
        if url:
            database.reset_database(url)
        else:
            # Durable settings: the figures should be those of a real server.
            pg = stack.enter_context(private_postgres(False, listen, settings))
            url, servers["postgres"] = pg.create_database("bench"), pg.postmaster()
        broker = os.environ.get("BENCH_REDIS_URL")
        if broker:
            database.flush_redis(broker)
        else:
            redis_server = stack.enter_context(private_redis(listen))
            broker = redis_server.url()
            servers["redis"] = redis_server.proc.pid if redis_server.proc else 0
        yield Services(url, broker, servers)


def flush_redis(env: dict[str, str]) -> None:
    """Empty the benchmark's Redis database (only that one)."""
    database.flush_redis(env["REDIS_URL"])


@contextmanager
def gunicorn(
    app: str,
    env: dict[str, str],
    workers: int = 2,
    chdir: Path = ROOT,
    extra: tuple[str, ...] = (),
) -> Iterator[str]:
    """Serve ``app`` with gunicorn on loopback (``extra``: more options); yield its base URL."""
    proc, base = start_web(env, DEVNULL, app=app, workers=workers, cwd=chdir, extra=extra)
    with running(proc):
        yield base


@contextmanager
def procfile_web(env: dict[str, str], workers: int = 2) -> Iterator[str]:
    """The Procfile's ``web`` line (gunicorn gthread) with ``workers`` processes; its base URL."""
    port = free_port()
    args = command(entries()["web"], {**env, "WEB_CONCURRENCY": str(workers), "PORT": str(port)})
    base = f"http://127.0.0.1:{port}"
    proc = await_start(Proc("gunicorn", args, env, DEVNULL), lambda: web_up(base), "gunicorn")
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


def noop_rate(env: dict[str, str], tasks: int) -> float:
    """No-op Celery tasks per second on ``env``'s broker, first to last completion."""
    import redis

    os.environ["CELERY_BROKER_URL"] = env["CELERY_BROKER_URL"]
    sys.path.insert(0, str(BENCH))
    from baseline_worker import noop

    client = redis.Redis.from_url(env["REDIS_URL"])
    # Only the baseline's keys: a running stack's queues live in the same database.
    client.delete("bench:first", "bench:last", "bench:done")
    for _ in range(tasks):
        noop.apply_async(queue="baseline")
    with worker(
        {**env, "PYTHONPATH": f"{env['PYTHONPATH']}:{BENCH}"},
        app="baseline_worker",
        queues="baseline",
    ):
        if not wait_until(lambda: int(client.get("bench:done") or 0) >= tasks, 600, every=0.05):
            raise SystemExit("timed out waiting for the no-op worker")
    first, last = float(client.get("bench:first") or 0), float(client.get("bench:last") or 0)
    return (tasks - 1) / (last - first)


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
    from moderation.app import create_app
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
