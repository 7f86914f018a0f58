"""gunicorn, Celery workers and beat for a fault run; replaces what dies and says what."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import threading
from collections import Counter
from pathlib import Path

from bench._faults.options import WORKER_LOG_LEVEL, Options
from harness.procs import Proc, age, children, free_port
from harness.stack import celery_args, start_beat, start_web


class Stack:
    """The service's processes; workers are killed and replaced while traffic flows."""

    def __init__(self, env: dict[str, str], logs: Path, opts: Options) -> None:
        self.env, self.logs, self.opts = env, logs, opts
        self.lock = threading.Lock()
        self.workers: list[Proc] = []
        self.others: list[Proc] = []  # gunicorn, beat, the callbacks worker
        self.retired: list[Proc] = []
        self.count = Counter[str]()
        self.unexpected: list[str] = []
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.closed = False
        self._n = 0

    def _celery(self, *args: str) -> list[str]:
        return celery_args(*args, loglevel=WORKER_LOG_LEVEL)

    def start_worker(self) -> None:
        """One more scoring worker (pool of ``concurrency``), unless stopping."""
        with self.lock:
            if self.closed:
                return
            self._n += 1
            name = f"worker{self._n}"
            args = self._celery(
                "worker", "-Q", "moderation", f"--concurrency={self.opts.concurrency}"
            )
            args += ["--without-gossip", "--without-mingle", "-n", f"faults{self._n}@%h"]
            self.workers.append(Proc(name, args, self.env, self.logs / f"{name}.log"))

    def start(self) -> None:
        """Everything, web first; returns once gunicorn answers."""
        extra = ("--timeout", "60")  # as in the Procfile
        web, _ = start_web(self.env, self.logs / "gunicorn.log", port=self.port, extra=extra)
        self.others.append(web)
        schedule = self.logs / "beat-schedule"
        self.others.append(start_beat(self.env, self.logs / "beat.log", schedule, WORKER_LOG_LEVEL))
        # As in the Procfile: deliveries have their own worker, so a hanging site
        # never holds the scoring workers (which are the ones killed).
        callbacks = self._celery("worker", "-Q", "callbacks", "--concurrency=4")
        callbacks += ["--without-gossip", "--without-mingle", "-n", "callbacks@%h"]
        self.others.append(Proc("callbacks", callbacks, self.env, self.logs / "callbacks.log"))
        for _ in range(self.opts.workers):
            self.start_worker()

    def kill_worker(self) -> None:
        """SIGKILL the oldest worker's whole process group; start a replacement."""
        with self.lock:
            if not self.workers:
                return
            victim = self.workers.pop(0)
        victim.kill()
        self.retired.append(victim)
        self.count["worker"] += 1
        self.start_worker()

    def kill_callbacks(self) -> None:
        """SIGKILL the callbacks worker (a batch of leased callbacks with it); start another.

        What it had leased and not recorded is sent again once the lease is over.
        """
        with self.lock:
            victims = [p for p in self.others if p.name == "callbacks" and p.alive()]
            if not victims or self.closed:
                return
            victim = victims[0]
            self.others.remove(victim)
            self.others.append(victim.again())
        victim.kill()
        self.retired.append(victim)
        self.count["callbacks"] += 1

    def kill_pool_process(self) -> None:
        """SIGKILL a busy-or-idle pool process of a running worker (its parent forks another).

        Only pool processes a few seconds old: one killed while the pool is still
        starting makes Celery give up the whole worker ("Could not start worker
        processes"), which is Celery's start-up, not what this fault is about.
        """
        with self.lock:
            leaders = [w.pid for w in self.workers if w.alive()]
        for leader in leaders:
            pool = [pid for pid in children(leader) if age(pid) >= 2.0]
            if pool:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(random.choice(pool), signal.SIGKILL)
                    self.count["pool"] += 1
                return
        self.count["pool skipped"] += 1

    def supervise(self) -> list[str]:
        """Restart whatever exited by itself, as a process supervisor would; say what."""
        with self.lock:
            dead_workers = [p for p in self.workers if not p.alive()]
            dead_others = [p for p in self.others if not p.alive()]
            for proc in dead_workers:
                self.workers.remove(proc)
            for proc in dead_others:
                self.others.remove(proc)
                if not self.closed:
                    self.others.append(proc.again())
        said = [f"{p.name} exited by itself (code {p.handle.returncode})" for p in dead_workers]
        said += [f"{p.name} exited by itself (code {p.handle.returncode})" for p in dead_others]
        for proc in dead_workers + dead_others:
            proc.kill()
            self.retired.append(proc)
        for _ in dead_workers:
            self.start_worker()
        self.unexpected += said
        return said

    def stop(self) -> None:
        """SIGKILL every process group this stack started; start no more."""
        with self.lock:
            self.closed = True
            procs = self.workers + self.others
            self.workers, self.others = [], []
        for proc in procs:
            with contextlib.suppress(Exception):
                proc.kill()
            self.retired.append(proc)
