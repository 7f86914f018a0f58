"""Shared by the benchmarks: a throw-away PostgreSQL database, Redis, gunicorn processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import redis
import requests
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new PostgreSQL database, dropped afterwards."""
    base = make_url(PG)
    name = f"moderation_bench_{uuid.uuid4().hex[:8]}"
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flush_redis() -> None:
    """Empty the benchmark's Redis database."""
    redis.Redis.from_url(REDIS).flushdb()


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int = 2, chdir: Path = ROOT) -> Iterator[str]:
    """Serve ``app`` with gunicorn on loopback; yield its base URL."""
    port = free_port()
    args = [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    args += ["--chdir", str(chdir), app]
    proc = subprocess.Popen(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                requests.get(base + "/healthz", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


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


def bench_env(database_url: str) -> dict[str, str]:
    """Environment for the service's processes in a benchmark."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": REDIS,
        "REDIS_URL": REDIS,
        "MODERATION_SECRET_KEY": "bench",
        "MODERATION_ALLOW_PRIVATE_CALLBACKS": "1",
        "MODERATION_RATE_LIMITS": "0",
        "MODERATION_MAX_BACKLOG": "0",
        "MODERATION_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


@contextmanager
def worker(
    env: dict[str, str], app: str = "workers.app", concurrency: int = 2, extra: tuple[str, ...] = ()
) -> Iterator[subprocess.Popen[bytes]]:
    """A Celery worker process group, killed on exit."""
    args = [
        str(BIN / "celery"),
        "-A",
        app,
        "worker",
        "--loglevel=WARNING",
        f"--concurrency={concurrency}",
        "--without-gossip",
        "--without-mingle",
        *extra,
    ]
    proc = subprocess.Popen(
        args,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


@contextmanager
def receiver() -> Iterator[str]:
    """A callback receiver on loopback that accepts everything; yields its URL."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Accept(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Accept)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/callback"
    finally:
        server.shutdown()
        server.server_close()


def prepare(database_url: str, callback_url: str) -> tuple[object, str]:
    """Migrate, create the ``bench`` site; return an in-process app and the site secret."""
    from moderation import create_app
    from moderation.dbcli import upgrade
    from moderation.extensions import db
    from moderation.sites.service import add_site

    env = bench_env(database_url)
    overrides = {
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": REDIS,
        "REDIS_URL": REDIS,
        "SECRET_KEY": env["MODERATION_SECRET_KEY"],
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
