"""``make run``: web and worker (with beat) in their own process groups, stopped by one signal.

On the first SIGINT or SIGTERM each group's leader gets one SIGTERM (Celery's
warm shutdown, gunicorn's graceful stop), and stops its own children; whatever
is left of a group after ``--grace`` seconds is SIGKILLed. A second signal
SIGKILLs at once (one within a second of the first is the same request). Exit
status 0 after a requested stop, 1 if a process ended by itself.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType

from harness.procs import BIN, Proc, group_alive
from harness.stack import WEB_APP, celery_args

DEFAULT_SCHEDULE = "var/beat-schedule"


def commands(port: int, concurrency: int, schedule: str) -> dict[str, list[str]]:
    """The processes ``make run`` starts, by name."""
    worker = celery_args("worker", "-B", "--schedule", schedule, loglevel="INFO")
    worker.append(f"--concurrency={concurrency}")
    # Threads, so the console's event streams never hold every worker (docs/console.md).
    threads = ["-k", "gthread", "--threads", "8", "--timeout", "60"]
    web = [str(BIN / "gunicorn"), "-w", "2", *threads, "-b", f"127.0.0.1:{port}", WEB_APP]
    return {"worker": worker, "web": web}


class Supervisor:
    """Starts the processes, forwards one stop signal to each group, reaps them."""

    def __init__(self, grace: float) -> None:
        self.grace = grace
        self.procs: list[Proc] = []
        self.stopping = False
        self.first_signal = 0.0

    def start(self, cmds: dict[str, list[str]]) -> None:
        """Start every command in its own process group, output to ours."""
        for name, args in cmds.items():
            self.procs.append(Proc(name, args, os.environ, None, cwd=Path.cwd()))

    def on_signal(self, signum: int, _frame: FrameType | None) -> None:
        """First signal: one SIGTERM per group leader; another one a second later: SIGKILL."""
        now = time.monotonic()
        if self.stopping:
            # make forwards its own SIGTERM to us right after the group's: not a second request.
            if now - self.first_signal > 1.0:
                self._signal_all(signal.SIGKILL)
            return
        self.stopping, self.first_signal = True, now
        self._terminate_leaders()

    def _terminate_leaders(self) -> None:
        # The leaders only: a SIGTERM to the whole group would also hit Celery's pool
        # processes mid-shutdown, which it reports as errors.
        for proc in self.procs:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)

    def _signal_all(self, sig: int) -> None:
        for proc in self.procs:
            proc.send(sig)

    def wait(self) -> int:
        """Block until a stop is asked or a process dies; then stop all; the exit status."""
        while not self.stopping and all(p.alive() for p in self.procs):
            time.sleep(0.2)
        crashed = not self.stopping
        if crashed:
            dead = [f"{p.name} (exit {p.handle.returncode})" for p in self.procs if not p.alive()]
            print(f"run: {', '.join(dead)} ended by itself; stopping the rest", file=sys.stderr)
            self.stopping = True
            self._terminate_leaders()
        self._reap()
        return 1 if crashed else 0

    def _reap(self) -> None:
        deadline = time.monotonic() + self.grace
        while time.monotonic() < deadline and any(group_alive(p.pid) for p in self.procs):
            for proc in self.procs:
                proc.handle.poll()  # reap leaders so they do not linger as zombies
            time.sleep(0.1)
        for proc in self.procs:
            if group_alive(proc.pid):
                print(f"run: {proc.name} still running after {self.grace:g} s: killed", flush=True)
            proc.kill(signal.SIGKILL, timeout=5)


def main(argv: list[str] | None = None) -> int:
    """Parse options, run until a signal, stop everything."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5000")))
    parser.add_argument("--concurrency", type=int, default=2)
    # Celery's warm shutdown on the embedded SQLAlchemy broker takes 7-9 s (its pool
    # threads poll in 1 s steps); 9 s lets it finish and still ends within 10 s.
    parser.add_argument("--grace", type=float, default=9.0, help="seconds before SIGKILL")
    default_schedule = os.environ.get("MODERATION_BEAT_SCHEDULE", DEFAULT_SCHEDULE)
    parser.add_argument("--schedule", default=default_schedule, help="beat's schedule file")
    args = parser.parse_args(argv)
    # Everything the service writes (databases, broker, schedule, key) is its own only.
    os.umask(0o077)
    Path(args.schedule).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    supervisor = Supervisor(args.grace)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, supervisor.on_signal)
    supervisor.start(commands(args.port, args.concurrency, args.schedule))
    print(f"run: web on http://127.0.0.1:{args.port}; Ctrl-C stops everything", flush=True)
    status = supervisor.wait()
    print("run: stopped", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
