"""Starters for the service's processes: gunicorn, Celery workers and beat, with health waits."""

from __future__ import annotations

import signal
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import requests

from harness.procs import BIN, ROOT, Proc, children, free_port, tail, wait_until

WEB_APP = "moderation.app:create_app()"
CELERY_APP = "workers.app"


class StartError(RuntimeError):
    """A process did not come up; the message ends with its log."""


def celery_args(*args: str, app: str = CELERY_APP, loglevel: str = "WARNING") -> list[str]:
    """A ``celery -A app ...`` command line."""
    return [str(BIN / "celery"), "-A", app, *args, f"--loglevel={loglevel}"]


def web_up(base: str) -> bool:
    """Whether gunicorn at ``base`` answers ``/healthz`` (any non-5xx status)."""
    try:
        return requests.get(base + "/healthz", timeout=1).status_code < 500
    except requests.RequestException:
        return False


def start_web(
    env: Mapping[str, str],
    log: Path,
    *,
    app: str = WEB_APP,
    workers: int = 2,
    port: int | None = None,
    extra: tuple[str, ...] = (),
    cwd: Path = ROOT,
) -> tuple[Proc, str]:
    """gunicorn serving ``app`` on loopback, once it answers; (process, base URL)."""
    port = port or free_port()
    args = [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", *extra, app]
    proc = Proc("gunicorn", args, env, log, cwd=cwd)
    base = f"http://127.0.0.1:{port}"
    return await_start(proc, lambda: web_up(base), "gunicorn", every=0.2), base


def await_start(
    proc: Proc, ready: Callable[[], bool], what: str, timeout: float = 60, every: float = 0.1
) -> Proc:
    """``proc`` once ``ready()``; killed, with a StartError ending in its log, if it dies first."""
    if not wait_until(lambda: ready() or not proc.alive(), timeout, every) or not proc.alive():
        proc.kill()
        log = tail(proc.log_path) if proc.log_path else ""
        raise StartError(f"{what} did not start:\n{log}")
    return proc


def pool_ready(proc: Proc, concurrency: int) -> Callable[[], bool]:
    """Whether a Celery worker's pool processes exist."""
    return lambda: len(children(proc.pid)) >= concurrency


def start_worker(
    env: Mapping[str, str],
    log: Path,
    *,
    queues: str | None = None,
    concurrency: int = 2,
    name: str | None = None,
    app: str = CELERY_APP,
    loglevel: str = "WARNING",
    wait: bool = True,
) -> Proc:
    """A Celery worker; with ``wait``, returns once its pool processes exist."""
    args = celery_args("worker", f"--concurrency={concurrency}", app=app, loglevel=loglevel)
    args += ["--without-gossip", "--without-mingle", "-n", name or f"w{uuid.uuid4().hex[:6]}@%h"]
    args += ["-Q", queues] if queues else []
    proc = Proc(log.stem, args, env, log)
    return await_start(proc, pool_ready(proc, concurrency), "Celery worker") if wait else proc


def start_beat(
    env: Mapping[str, str], log: Path, schedule: Path, level: str = "WARNING", wait: bool = True
) -> Proc:
    """Celery beat keeping its schedule in ``schedule``; with ``wait``, once it has opened it."""
    args = celery_args("beat", "--schedule", str(schedule), loglevel=level)
    proc = Proc("beat", args, env, log)
    return await_start(proc, schedule_opened(schedule), "Celery beat") if wait else proc


def schedule_opened(schedule: Path) -> Callable[[], bool]:
    """Whether Celery beat has opened its schedule file."""
    return lambda: any(schedule.parent.glob(schedule.name + "*"))


@contextmanager
def running(proc: Proc, sig: int = signal.SIGKILL) -> Iterator[Proc]:
    """Yield ``proc``; signal its whole group (default SIGKILL) and reap it afterwards."""
    try:
        yield proc
    finally:
        proc.kill(sig)
