"""One fault-injection run on private PostgreSQL and Redis servers; see the package docstring."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import redis

from bench._faults import injections
from bench._faults.checks import check, progress, throughput
from bench._faults.client import Client
from bench._faults.options import RULES, Options
from bench._faults.report import Report, log_problems, summarise
from bench._faults.setup import create_site, service_env
from bench._faults.stack import Stack
from harness.receiver import Receiver
from harness.services import (
    PrivatePostgres,
    PrivateRedis,
    missing_tools,
    private_postgres,
    private_redis,
)


def can_inject_faults() -> str | None:
    """None if private PostgreSQL and Redis servers can be started here; else why not."""
    return missing_tools()


def run(opts: Options) -> Report:
    """One fault-injection run; its servers and processes are gone when it returns."""
    report = Report()
    reason = can_inject_faults()
    if reason:
        raise RuntimeError(f"cannot inject faults here: {reason}")
    logs = Path(tempfile.mkdtemp(prefix="moderation-faults-"))
    try:
        with private_postgres() as pg, private_redis() as broker:
            Run(opts, logs, report, pg, broker).execute()
    except BaseException:
        report.failures.append("the harness itself failed:\n" + traceback.format_exc())
        raise
    finally:
        if opts.keep_logs or not report.ok:
            opts.progress(f"process logs kept in {logs}")
        else:
            shutil.rmtree(logs, ignore_errors=True)
    return report


class Run:
    """The processes, threads, timeline and outcome of one run."""

    def __init__(
        self, opts: Options, logs: Path, report: Report, pg: PrivatePostgres, broker: PrivateRedis
    ) -> None:
        self.opts, self.logs, self.report, self.pg, self.broker = opts, logs, report, pg, broker
        (logs / "rules").mkdir()
        (logs / "rules" / "house.yaml").write_text(RULES)
        (logs / "models").mkdir()
        self.url = pg.create_database("faults")
        self.env = service_env(self.url, broker.url(), logs, opts)
        self.receiver = Receiver()
        self.stack = Stack(self.env, logs, opts)
        self.stop, self.sending = threading.Event(), threading.Event()
        self.events: list[str] = []
        self.marks: list[tuple[str, float]] = []  # (phase starting now, wall-clock time)
        self.threads: list[threading.Thread] = []
        self.t0 = time.monotonic()

    def event(self, text: str, phase: str | None = None) -> None:
        """Log a timeline line; with ``phase``, a new phase starts now."""
        self.events.append(f"{time.monotonic() - self.t0:6.1f}s {text}")
        self.opts.progress(self.events[-1])
        if phase:
            self.marks.append((phase, time.time()))

    def guarded(self, name: str, body: Callable[[], None]) -> threading.Thread:
        """Run ``body`` in a thread whose failure fails the run and stops the others."""

        def target() -> None:
            try:
                body()
            except Exception:
                self.report.failures.append(
                    f"harness thread {name} failed: {traceback.format_exc()}"
                )
                self.stop.set()

        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self.threads.append(thread)
        return thread

    def execute(self) -> None:
        """Start everything, send the traffic under faults, settle, check; always clean up."""
        try:
            self.receiver.listen()
            self.receiver.secrets.append(create_site(self.env, self.receiver.url))
            self.stack.start()
            client = Client(self.stack.base, self.receiver.secrets[0], self.opts, self.stop)
            self._traffic(client)
            self._conclude(client)
        finally:
            self.stop.set()
            self.receiver.mode = "up"
            self.receiver.unhang.set()
            for thread in self.threads:
                thread.join(timeout=60)
            self.stack.stop()
            self.receiver.close()

    def _traffic(self, client: Client) -> None:
        opts, traffic = self.opts, self.opts.comments / self.opts.rate
        self.t0 = time.monotonic()
        self.event(
            f"stack up; sending {opts.comments} webhooks at {opts.rate:g}/s (~{traffic:.0f} s)",
            phase="steady",
        )
        self.sending.set()
        client_thread = self.guarded("client", client.run)
        if "kills" in opts.faults:
            args = (self.stack, opts, self.stop, self.sending)
            self.guarded("killer", lambda: injections.kill_workers(*args))
        self.guarded("supervisor", self._supervise)
        fault_thread = self.guarded("faults", lambda: self._faults(traffic))
        last = 0.0
        while client_thread.is_alive() or client.in_flight:
            time.sleep(0.5)
            if time.monotonic() - last >= 5:
                last = time.monotonic()
                self._say_progress(client)
            if time.monotonic() - self.t0 > traffic + opts.client_giveup + 120:
                self.report.failures.append("client did not finish in time")
                break
        self.sending.clear()
        fault_thread.join(timeout=opts.redis_down + opts.pg_down + opts.receiver_outage + 180)

    def _say_progress(self, client: Client) -> None:
        with client.lock:
            done = sum(len(b) for b in client.accepted.values())
            retries = sum(client.retries.values())
        state = progress(self.url, client, self.receiver)
        pending = (
            f"; {state[0]} comments pending, {state[1]} callbacks pending"
            if state
            else "; database unreachable"
        )
        self.event(f"client: {done}/{client.sent} acknowledged, {retries} retries{pending}")

    def _supervise(self) -> None:
        broker = redis.Redis.from_url(
            self.broker.url(), socket_timeout=0.5, socket_connect_timeout=0.5
        )
        with broker:
            while not self.stop.wait(0.5):
                for text in self.stack.supervise():
                    self.event(f"supervisor: {text}; restarted it")
                with contextlib.suppress(redis.RedisError, OSError):
                    peak = max(self.stack.count["queue peak"], int(broker.llen("moderation")))
                    self.stack.count["queue peak"] = peak

    def _faults(self, traffic: float) -> None:
        opts, stop, event = self.opts, self.stop, self.event
        plan: list[tuple[float, str, Callable[[], None]]] = [
            (0.3, "redis", lambda: injections.redis_outage(self.broker, opts, stop, event)),
            (0.55, "postgres", lambda: injections.pg_outage(self.pg, opts, stop, event)),
            (0.7, "receiver", lambda: injections.receiver_outage(self.receiver, opts, stop, event)),
        ]  # (share of the traffic's duration, fault, action)
        for at, name, action in plan:
            if name not in opts.faults:
                continue
            if stop.wait(max(0.0, self.t0 + at * traffic - time.monotonic())):
                return
            action()

    def _conclude(self, client: Client) -> None:
        traffic_done = time.monotonic() - self.t0
        self.event(
            f"traffic over after {traffic_done:.1f} s; kills stopped; waiting to settle",
            phase="settling (no traffic, no faults)",
        )
        settled_at = self._settle(client)
        self.marks.append(("end", time.time()))
        settle_time = time.monotonic() - self.t0 - traffic_done
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
        lines, failures = check(self.url, client, self.receiver)
        report = self.report
        report.failures += failures
        summarise(report, self.opts, client, self.receiver, self.stack, traffic_done, settle_time)
        report.lines.append(f"settled: {'yes' if settled_at is not None else 'NO'}")
        report.lines += lines
        report.lines += throughput(self.url, self.marks, self.receiver)
        report.lines += ["timeline:", *("  " + e for e in self.events)]
        problems = log_problems(self.logs)
        if problems:
            report.lines.append("warnings and errors in the process logs (most frequent first):")
            report.lines += ["  " + p for p in problems]
        if client.unexpected or client.gave_up:
            report.failures.append(
                f"client: {len(client.unexpected)} unexpected answers, {len(client.gave_up)} "
                f"webhooks given up: {(client.unexpected + client.gave_up)[:5]}"
            )
        if self.receiver.rejected:
            bad = dict(Counter(self.receiver.rejected))
            report.failures.append(f"receiver got badly signed callbacks: {bad}")

    def _settle(self, client: Client) -> float | None:
        """Wait until nothing is pending and every final outcome was called back (bounded)."""
        opts, started = self.opts, time.monotonic()
        idle_since: float | None = None
        last = 0.0
        while time.monotonic() - started < opts.settle_timeout:
            state = progress(self.url, client, self.receiver)
            now = time.monotonic()
            if state is not None:
                comments, deliveries, missing = state
                if comments == deliveries == missing == 0:
                    self.event(f"settled after {now - started:.1f} s")
                    return now - started
                if now - last >= 5:
                    last = now
                    self.event(
                        f"settling: {comments} comments pending, {deliveries} callbacks "
                        f"pending, {missing} final outcomes not yet received"
                    )
                if comments == deliveries == 0:
                    idle_since = idle_since or now
                    if now - idle_since > opts.idle_giveup:
                        self.event("nothing pending, yet outcomes are missing: giving up waiting")
                        return None
                else:
                    idle_since = None
            time.sleep(1.0)
        self.event(f"did not settle within {opts.settle_timeout:g} s")
        return None
