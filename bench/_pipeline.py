"""The Procfile's stack end to end, shared by bench/pipeline and bench/scaleout.

Signed webhooks go from client threads to the Procfile's web (gunicorn), its
scoring worker(s), callbacks worker and beat, on a private durable PostgreSQL
and Redis; a receiver verifies every callback's signature. While a round runs
we count what each process group spends in CPU and what PostgreSQL does
(pg_stat_statements, pg_stat_wal, connections), per comment.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from bench._stack import Services, bench_env, prepare, services
from bench._steady import post, webhook
from harness.procfile import ProcfileStack
from harness.procs import free_port, group_cpu, wait_until
from harness.receiver import Receiver
from harness.services import LOOPBACK, libpq

# Statement counts and WAL flush timing (only on the private PostgreSQL we start).
PG_SETTINGS = ("shared_preload_libraries=pg_stat_statements", "track_wal_io_timing=on")
# Our own monitoring statements are left out of the per-comment counts.
_OURS = " FROM pg_stat_statements WHERE query NOT ILIKE '%%pg_stat%%' AND query NOT ILIKE '%%pg_catalog%%'"
STATEMENTS = "SELECT coalesce(sum(calls), 0), coalesce(sum(total_exec_time), 0)" + _OURS
TOP = (
    "SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 90), calls, total_exec_time"
    + _OURS
    + " ORDER BY total_exec_time DESC LIMIT %s"
)


@dataclass
class Round:
    """One batch of webhooks, from the first sent to the last decision called back."""

    comments: int
    seconds: float
    intake_seconds: float  # first sent to last answered 202
    cpu: dict[str, float]  # CPU seconds by process group
    pg: dict[str, float]  # statements, commits, WAL syncs... during the round
    connections: int  # most client connections PostgreSQL had at once
    duplicates: int = 0
    top: list[tuple[str, float, float]] = field(
        default_factory=list
    )  # query, calls, ms per comment

    @property
    def rate(self) -> float:
        """Comments decided and called back per second."""
        return self.comments / self.seconds

    def per_comment(self, key: str) -> float:
        """A PostgreSQL counter of the round, per comment."""
        return self.pg.get(key, 0.0) / self.comments

    def cpu_share(self, name: str) -> float:
        """``name``'s share of the CPU time every process of the run used."""
        return self.cpu.get(name, 0.0) / (sum(self.cpu.values()) or 1.0)


def load() -> str:
    """The 1-, 5- and 15-minute load averages."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


class Pipeline:
    """Private PostgreSQL and Redis, a verifying receiver and the Procfile stack."""

    def __init__(self, listen: Sequence[str] = LOOPBACK, logs: Path | None = None) -> None:
        self.listen = listen
        self.logs = logs or Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
        self.arrived: dict[str, float] = {}  # comment id -> first callback's arrival
        self.receiver = Receiver()
        self.receiver.respond = self._arrival
        self._exit = contextlib.ExitStack()

    def _arrival(self, data: dict[str, Any]) -> int:
        comment = data.get("comment") or {}
        self.arrived.setdefault(str(comment.get("id")), time.time())
        return 204

    def __enter__(self) -> Pipeline:
        if not os.environ.get("BENCH_KEEP_LOGS"):  # the processes' logs, kept on request
            self._exit.callback(shutil.rmtree, self.logs, True)
        self.svc: Services = self._exit.enter_context(services(self.listen, PG_SETTINGS))
        self._exit.enter_context(self.receiver)
        self.app, self.secret = prepare(self.svc, self.receiver.url)
        self.receiver.secrets.append(self.secret)
        self.env = {
            **bench_env(self.svc),
            "PORT": str(free_port()),
            "WEB_CONCURRENCY": "2",
            "WORKER_CONCURRENCY": "2",
            "MODERATION_BEAT_SCHEDULE": str(self.logs / "beat-schedule"),
        }
        self.stack = self._exit.enter_context(ProcfileStack(self.env, self.logs))
        self._exit.callback(self._dispose)
        self.pg = self._exit.enter_context(
            psycopg.connect(libpq(self.svc.database_url), autocommit=True)
        )
        with contextlib.suppress(psycopg.Error):  # only our private server preloads it
            self.pg.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        return self

    def __exit__(self, *exc: object) -> None:
        self._exit.close()

    def _dispose(self) -> None:
        from moderation.extensions import db

        with self.app.app_context():  # type: ignore[attr-defined]
            db.engine.dispose()

    def start(self, scoring: int = 1) -> str:
        """The Procfile stack with ``scoring`` worker processes; warmed up; its base URL."""
        self.base = self.stack.start(scoring)
        self.end_to_end("warm-up", 40, 8)
        return self.base

    def cpu(self) -> dict[str, float]:
        """CPU seconds so far, by process group (scoring workers summed)."""
        used = {p.name: group_cpu(p.pid) for p in self.stack.others}
        used["worker"] = sum(group_cpu(p.pid) for p in self.stack.scoring)
        for name, pid in self.svc.servers.items():
            used[name] = group_cpu(os.getpgid(pid))
        me = resource.getrusage(resource.RUSAGE_SELF)
        used["bench"] = me.ru_utime + me.ru_stime  # client threads and the receiver
        return used

    def pg_counters(self) -> dict[str, float]:
        """PostgreSQL's cumulative counters for our database."""
        self.pg.execute("SELECT pg_stat_clear_snapshot()")
        row = self.pg.execute(
            "SELECT xact_commit, blks_read FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
        wal = self.pg.execute(
            "SELECT wal_sync, wal_sync_time, wal_records FROM pg_stat_wal"
        ).fetchone()
        counters = dict(zip(("commits", "blocks read"), row or (0, 0), strict=True))
        counters |= dict(
            zip(("WAL syncs", "WAL sync ms", "WAL records"), wal or (0, 0, 0), strict=True)
        )
        with contextlib.suppress(psycopg.Error):
            stmts = self.pg.execute(STATEMENTS).fetchone()
            counters |= dict(zip(("statements", "statement ms"), stmts or (0, 0), strict=True))
        return {k: float(v) for k, v in counters.items()}

    def top_statements(self, comments: int, limit: int = 6) -> list[tuple[str, float, float]]:
        """The statements with the most execution time: (text, calls and ms per comment)."""
        with contextlib.suppress(psycopg.Error):
            rows = self.pg.execute(TOP, (limit,)).fetchall()
            return [(q, calls / comments, ms / comments) for q, calls, ms in rows]
        return []

    def connections(self) -> int:
        """Client connections PostgreSQL has now (ours excluded)."""
        row = self.pg.execute(
            "SELECT count(*) - 1 FROM pg_stat_activity WHERE backend_type = 'client backend'"
        ).fetchone()
        return int(row[0]) if row else 0

    @contextlib.contextmanager
    def measured(self) -> Iterator[dict[str, Any]]:
        """Counters over the ``with`` block: CPU, PostgreSQL, most connections at once."""
        with contextlib.suppress(psycopg.Error):
            self.pg.execute("SELECT pg_stat_statements_reset()")
        found: dict[str, Any] = {"connections": self.connections()}
        done = threading.Event()
        peaks: list[int] = []
        sampler = threading.Thread(target=self._sample, args=(done, peaks), daemon=True)
        cpu0, pg0 = self.cpu(), self.pg_counters()
        sampler.start()
        try:
            yield found
        finally:
            cpu1 = self.cpu()
            done.set()
            sampler.join()
            time.sleep(1.2)  # backends report their counters at most once a second
            pg1 = self.pg_counters()
            found["cpu"] = {k: cpu1[k] - cpu0.get(k, 0.0) for k in cpu1}
            found["pg"] = {k: pg1[k] - pg0.get(k, 0.0) for k in pg1}
            found["connections"] = max([found["connections"], *peaks])

    def _sample(self, done: threading.Event, peaks: list[int]) -> None:
        with psycopg.connect(libpq(self.svc.database_url), autocommit=True) as conn:
            while not done.wait(0.25):
                row = conn.execute(
                    "SELECT count(*) - 2 FROM pg_stat_activity WHERE backend_type = 'client backend'"
                ).fetchone()
                peaks.append(int(row[0]) if row else 0)

    def end_to_end(self, label: str, n: int, clients: int, timeout: float = 600) -> Round:
        """Post ``n`` signed webhooks from ``clients`` threads; wait for every callback."""
        items = [(f"{label}-{i}", *webhook(self.secret, f"{label}-{i}", i)) for i in range(n)]
        ids = [cid for cid, _, _ in items]
        with self.measured() as found:
            started = time.time()
            with ThreadPoolExecutor(clients) as pool:
                statuses = list(pool.map(lambda it: post(self.base, it[1], it[2]), items))
            answered = time.time()
            if any(status != 202 for status in statuses):
                raise SystemExit(f"webhooks refused: {sorted(set(statuses) - {202})}")
            if not wait_until(lambda: all(c in self.arrived for c in ids), timeout, every=0.02):
                missing = sum(c not in self.arrived for c in ids)
                raise SystemExit(f"{missing} of {n} decisions never called back")
            last = max(self.arrived[c] for c in ids)
        return Round(
            n,
            last - started,
            answered - started,
            found["cpu"],
            found["pg"],
            found["connections"],
            self.check(ids),
            self.top_statements(n),
        )

    def check(self, ids: list[str]) -> int:
        """Callbacks beyond one per comment (none expected); fail on a bad signature."""
        if self.receiver.rejected:
            raise SystemExit(f"callbacks rejected by the receiver: {self.receiver.rejected[:5]}")
        return sum(len(self.receiver.by_comment[c]) - 1 for c in ids) + self.receiver.duplicates


def median(values: Sequence[float]) -> float:
    """The median (0 for none)."""
    return statistics.median(values) if values else 0.0


def verdict(met: bool) -> str:
    """How a figure compares with its target."""
    return "met" if met else "MISSED"
