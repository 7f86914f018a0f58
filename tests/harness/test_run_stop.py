"""``make run`` stops cleanly: one Ctrl-C, every process gone within 10 s, nothing alarming."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.procs import (
    BIN,
    ROOT,
    Proc,
    children,
    free_port,
    group_alive,
    signal_group,
    wait_until,
)
from harness.stack import web_up

pytestmark = pytest.mark.slow


def embedded_env() -> dict[str, str]:
    """The environment of ``make run``: embedded SQLite and broker, nothing from the tests."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MODERATION_", "TEST_"))}
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"):
        env.pop(name, None)
    env.update(
        MODERATION_ALLOW_PRIVATE_CALLBACKS="1",
        MODERATION_RULES_DIR=str(ROOT / "rules"),
        MODERATION_MODELS_DIR=str(ROOT / "models"),
        PYTHONPATH=str(ROOT),
    )
    return env


def test_the_makefile_runs_the_supervisor() -> None:
    assert "-m harness.run" in (ROOT / "Makefile").read_text()


@pytest.mark.timeout(180)
def test_one_sigint_stops_every_process_within_10_s(tmp_path: Path) -> None:
    env = embedded_env()
    # As `make run`: migrate the embedded database (var/ under the working directory), then run.
    subprocess.run([str(BIN / "moderation"), "db", "upgrade"], cwd=tmp_path, env=env, check=True)
    log = tmp_path / "run.log"
    port = free_port()
    # Its own process group, like a terminal's foreground job.
    args = [sys.executable, "-m", "harness.run", "--port", str(port)]
    supervisor = Proc("run", args, env, log, cwd=tmp_path)
    run = supervisor.handle
    try:
        up = wait_until(
            lambda: web_up(f"http://127.0.0.1:{port}") and b" ready." in log.read_bytes(),
            90,
            every=0.2,
        )
        assert up, log.read_text()
        groups = children(run.pid)
        assert len(groups) == 2, groups  # web and worker, each leading its own group
        started = time.monotonic()
        supervisor.send(signal.SIGINT)  # what Ctrl-C does to the foreground group
        status = run.wait(timeout=10)
        assert wait_until(
            lambda: not any(group_alive(g) for g in groups), 10 - (time.monotonic() - started)
        )
        elapsed = time.monotonic() - started
        print(f"stopped in {elapsed:.1f} s")
    finally:
        for pid in children(run.pid):  # only if the test failed half-way
            signal_group(pid, signal.SIGKILL)
        supervisor.kill()
    output = log.read_text(errors="replace")
    assert status == 0, output
    assert elapsed < 10, elapsed
    for alarming in ("Segmentation fault", "Traceback", "ERROR", "still running after"):
        assert alarming not in output, output
    assert output.count("Warm shutdown") <= 3, output
    assert (tmp_path / "var" / "beat-schedule").exists() or list(
        (tmp_path / "var").glob("beat-schedule*")
    )
