"""Fault injection: the real stack under steady webhook traffic while its parts die.

Used by ``bench/faults`` (2,000 comments) and ``tests/integration/test_faults.py``
(a short run). One run:

1. a fresh PostgreSQL database and an emptied Redis database (broker and counters);
2. gunicorn (2 workers), Celery workers, one beat process, a callback receiver on
   loopback and a site pointing at it;
3. a client that behaves like a real site: it posts signed comments at a steady
   rate and retries on connection errors, 5xx and 429 (honouring ``Retry-After``,
   capped) until it gets a 2xx; about 10 % of its requests are new revisions of
   comments already accepted (never two requests for one comment at once, so
   "the newest accepted revision" is well defined);
4. meanwhile: a worker SIGKILLed (its whole process group) every ``kill_every``
   seconds and replaced, a pool process SIGKILLed between those kills, Redis
   restarted once (``shutdown nosave``: the queues are lost), PostgreSQL restarted
   once, the callback receiver answering 503, then accepting connections without
   ever answering, then not listening (a third of ``receiver_outage`` each);
5. a bounded wait until the system settles, then the checks of SPEC §8:
   (a) every comment and every revision acknowledged with a 2xx is stored;
   (b) every accepted comment is decided for its newest accepted revision, with
       exactly one automatic decision per scored (comment, revision);
   (c) the receiver got (deduplicated by ``X-Moderation-Delivery``) a callback
       for each comment's newest revision carrying its stored status.

It also reports retries, kills, duplicate deliveries, the broker queue's peak,
decisions and callbacks per second in each phase, and the warnings and errors the
processes logged. Every process is started in its own process group and killed in
``finally``; PostgreSQL and Redis are always left running; the database is dropped.
``FAULTS_CELERY_LOG_LEVEL=INFO`` and ``keep_logs`` help when digging into a run.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psycopg
import redis
import requests
from sqlalchemy.engine import make_url

from bench._stack import BIN, PG, ROOT, free_port, machine
from moderation.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureError,
    signature_headers,
    verify,
)

REDIS = os.environ.get("FAULTS_REDIS_URL", "redis://127.0.0.1:6379/12")
REDIS_PORT = 6379
SLUG = "faults"
APP = "workers.app"
WORKER_LOG_LEVEL = os.environ.get("FAULTS_CELERY_LOG_LEVEL", "WARNING")

RULES = """\
default: approve
rules:
  - id: severe
    priority: 60
    if: {body: {words: [ordure]}}
    then: reject
    reason: insult
  - id: doubtful
    priority: 10
    if: {body: {words: [douteux, louche]}}
    then: review
    reason: insult
"""

SENTENCES = (
    "Merci pour cet article, très clair sur la réforme des retraites.",
    "Je ne suis pas d'accord avec l'auteur sur ce point précis.",
    "Un chiffre me semble douteux dans le deuxième paragraphe.",
    "Quelle ordure ce commentateur, franchement.",
    "Bonne analyse, mais il manque la position de l'opposition.",
    "Article intéressant, j'attends la suite avec impatience.",
    "Ce montage financier est louche, il faudrait enquêter.",
    "La photo ne correspond pas à la légende.",
)


@dataclass
class Options:
    """One run's size and faults (durations in seconds)."""

    comments: int = 2000  # webhooks sent, revisions included
    rate: float = 25.0  # webhooks per second
    revision_share: float = 0.10
    faults: tuple[str, ...] = ("kills", "redis", "postgres", "receiver")
    kill_every: float = 5.0
    pool_kills: bool = True  # also SIGKILL a pool process between worker kills
    workers: int = 2
    concurrency: int = 2
    redis_down: float = 4.0
    pg_down: float = 4.0
    receiver_outage: float = 15.0  # a third each: 503, no answer, not listening
    settle_timeout: float = 300.0
    idle_giveup: float = 45.0  # stop settling once nothing is pending for this long
    sweep_after: int = 5
    callback_first_retry: float = 1.0
    client_threads: int = 64
    client_giveup: float = 300.0  # one webhook's retries end after this long
    seed: int = 1
    keep_logs: bool = False
    progress: Callable[[str], None] = field(default=lambda line: print(line, file=sys.stderr))


# --------------------------------------------------------------------------- services


def pg_cluster() -> tuple[str, str]:
    """The local PostgreSQL cluster (version, name) that pg_ctlcluster manages."""
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])
    return versions[-1], "main"


def _admin_url() -> str:
    return make_url(PG).set(drivername="postgresql").render_as_string(hide_password=False)


def can_inject_faults() -> str | None:
    """None if this machine lets the harness restart PostgreSQL and Redis; else why not."""
    if os.geteuid() != 0:
        return "not root: cannot restart PostgreSQL and Redis"
    for tool in ("pg_ctlcluster", "redis-server", "redis-cli"):
        if shutil.which(tool) is None:
            return f"{tool} not found"
    try:
        if not os.listdir("/etc/postgresql"):
            return "no cluster in /etc/postgresql"
    except OSError as exc:
        return f"no /etc/postgresql: {exc}"
    host = make_url(PG).host or "127.0.0.1"
    if host not in ("127.0.0.1", "localhost") or "127.0.0.1:6379" not in REDIS:
        return "PostgreSQL and Redis must be the local ones (127.0.0.1)"
    if not _pg_up():
        return "PostgreSQL unreachable"
    if not _redis_up():
        return "Redis unreachable"
    return None


def _pg_up() -> bool:
    try:
        with psycopg.connect(_admin_url(), connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def _redis_up() -> bool:
    # A bare PING: redis-py retries failed connections, which would blur the timings.
    try:
        with socket.create_connection(("127.0.0.1", REDIS_PORT), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _wait(predicate: Callable[[], bool], timeout: float, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return predicate()


def _run(args: list[str], log: Path, timeout: float = 60) -> None:
    # Daemons started here must not hold a pipe of ours: output goes to a file.
    with log.open("ab") as out:
        subprocess.run(
            args,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
            start_new_session=True,
        )


def stop_redis(log: Path) -> None:
    """Stop Redis without saving: every queued and unacknowledged message is lost."""
    _run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], log)
    _wait(lambda: not _redis_up(), 15)


def start_redis(log: Path) -> None:
    """Start Redis as the machine runs it; wait until it answers."""
    if _redis_up():
        return
    args = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1"]
    args += ["--port", str(REDIS_PORT), "--save", "", "--appendonly", "no"]
    _run(args, log)
    if not _wait(_redis_up, 30):
        raise RuntimeError("Redis did not come back")


def _pg_ctl(action: str, log: Path) -> None:
    version, name = pg_cluster()
    _run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action], log, timeout=120)


def stop_postgres(log: Path) -> None:
    """Stop PostgreSQL (fast mode: sessions are cut, transactions roll back)."""
    _pg_ctl("stop", log)


def start_postgres(log: Path) -> None:
    """Start PostgreSQL; wait until it accepts connections."""
    if _pg_up():
        return
    _pg_ctl("start", log)
    if not _wait(_pg_up, 60, every=0.5):
        raise RuntimeError("PostgreSQL did not come back")


def ensure_services(log: Path) -> list[str]:
    """Leave PostgreSQL and Redis running whatever happened; return what had to be done."""
    done = []
    for name, up, start in (
        ("PostgreSQL", _pg_up, start_postgres),
        ("Redis", _redis_up, start_redis),
    ):
        if not up():
            done.append(f"{name} was down: started it")
            for _ in range(3):
                with contextlib.suppress(Exception):
                    start(log)
                if up():
                    break
    return done


@contextlib.contextmanager
def fresh_database(log: Path) -> Iterator[str]:
    """A new PostgreSQL database, dropped afterwards (PostgreSQL restarted first if needed)."""
    name = f"moderation_faults_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG).set(database=name).render_as_string(hide_password=False)
    finally:
        ensure_services(log)
        with psycopg.connect(_admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --------------------------------------------------------------------------- processes


class Proc:
    """A child process in its own process group, so a kill takes its children too."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.args, self.env, self.log_path = name, args, env, log
        self.log = log.open("ab")
        self.started = time.monotonic()
        self.handle = subprocess.Popen(
            args,
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        """The group leader's pid."""
        return self.handle.pid

    def alive(self) -> bool:
        """Whether the leader still runs."""
        return self.handle.poll() is None

    def kill(self, sig: int = signal.SIGKILL, timeout: float = 30) -> None:
        """Signal the whole group and reap the leader (SIGKILL if it lingers)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.handle.pid, sig)
        try:
            self.handle.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.handle.pid, signal.SIGKILL)
            self.handle.wait(timeout=30)
        # Children that ignored the signal (none should) go with the group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.handle.pid, signal.SIGKILL)
        self.log.close()


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ..."; comm may contain spaces and parentheses.
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _age(pid: int) -> float:
    """Seconds since ``pid`` started (0 if it is gone)."""
    try:
        start_ticks = int(
            (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[19]
        )
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, IndexError, ValueError):
        return 0.0
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")


class Stack:
    """gunicorn, Celery workers and beat; replaces what dies and says what it replaced."""

    def __init__(self, env: dict[str, str], logs: Path, opts: Options) -> None:
        self.env, self.logs, self.opts = env, logs, opts
        self.lock = threading.Lock()
        self.workers: list[Proc] = []
        self.others: list[Proc] = []  # gunicorn, beat
        self.retired: list[Proc] = []
        self.count = Counter[str]()
        self.unexpected: list[str] = []
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.closed = False
        self._n = 0

    def _celery(self, *args: str) -> list[str]:
        return [str(BIN / "celery"), "-A", APP, *args, f"--loglevel={WORKER_LOG_LEVEL}"]

    def start_worker(self) -> None:
        """One more Celery worker process (pool of ``concurrency``), unless stopping."""
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
        web = [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{self.port}"]
        web += ["--timeout", "60", "moderation:create_app()"]  # as in the Procfile
        self.others.append(Proc("gunicorn", web, self.env, self.logs / "gunicorn.log"))
        beat = self._celery("beat", "--schedule", str(self.logs / "beat-schedule"))
        self.others.append(Proc("beat", beat, self.env, self.logs / "beat.log"))
        # As in the Procfile: deliveries have their own worker, so a hanging site
        # never holds the scoring workers (which are the ones killed).
        callbacks = self._celery("worker", "-Q", "callbacks", "--concurrency=4")
        callbacks += ["--without-gossip", "--without-mingle", "-n", "callbacks@%h"]
        self.others.append(Proc("callbacks", callbacks, self.env, self.logs / "callbacks.log"))
        for _ in range(self.opts.workers):
            self.start_worker()

        def web_up() -> bool:
            try:
                return requests.get(self.base + "/healthz", timeout=1).ok
            except requests.RequestException:
                return False

        if not _wait(web_up, 60):
            raise RuntimeError("gunicorn did not start: " + _tail(self.logs / "gunicorn.log"))

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

    def kill_pool_process(self) -> None:
        """SIGKILL a busy-or-idle pool process of a running worker (its parent forks another).

        Only pool processes a few seconds old: one killed while the pool is still
        starting makes Celery give up the whole worker ("Could not start worker
        processes"), which is Celery's start-up, not what this fault is about.
        """
        with self.lock:
            leaders = [w.pid for w in self.workers if w.alive()]
        for leader in leaders:
            pool = [pid for pid in children(leader) if _age(pid) >= 2.0]
            if pool:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(random.choice(pool), signal.SIGKILL)
                    self.count["pool"] += 1
                return
        self.count["pool skipped"] += 1

    def supervise(self) -> list[str]:
        """Restart whatever exited by itself, as a process supervisor would; say what."""
        said = []
        with self.lock:
            dead_workers = [p for p in self.workers if not p.alive()]
            dead_others = [p for p in self.others if not p.alive()]
            for proc in dead_workers:
                self.workers.remove(proc)
            for proc in dead_others:
                self.others.remove(proc)
                if not self.closed:
                    self.others.append(Proc(proc.name, proc.args, proc.env, proc.log_path))
        for proc in dead_workers + dead_others:
            said.append(f"{proc.name} exited by itself (code {proc.handle.returncode})")
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


def _tail(path: Path, chars: int = 2000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


# --------------------------------------------------------------------------- receiver


class Receiver:
    """The site's callback endpoint: verifies signatures, records deliveries, can fail."""

    def __init__(self) -> None:
        self.secrets: list[str] = []
        self.lock = threading.Lock()
        self.deliveries: dict[str, dict[str, Any]] = {}  # X-Moderation-Delivery -> comment
        self.by_comment: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        self.duplicates = 0
        self.requests = 0
        self.refused = 0  # answered 503 during the outage
        self.hung = 0  # held without an answer during the outage
        self.truncated = 0  # bodies cut short: the sending worker was killed
        self.arrivals: list[float] = []  # wall-clock time of each new delivery
        self.bad = Counter[str]()  # bad signatures, malformed bodies
        self.mode = "up"  # "503": answer 503; "hang": accept, answer only once it ends
        self.unhang = threading.Event()
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        """The callback URL."""
        return f"http://127.0.0.1:{self.port}/callback"

    def listen(self) -> None:
        """Start serving (on the same port as before, if any)."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                if len(body) < length:  # the sender died mid-request (a killed worker)
                    with receiver.lock:
                        receiver.truncated += 1
                    return
                status = receiver.handle(dict(self.headers), body, self.path)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        server = None
        for _ in range(50):  # the old socket may linger a moment
            try:
                server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
                break
            except OSError:
                time.sleep(0.1)
        if server is None:
            raise RuntimeError(f"callback receiver cannot listen on port {self.port}")
        self.server, self.port = server, int(server.server_address[1])
        self.thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop listening: connections are refused."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if self.thread is not None:
            self.thread.join(timeout=10)
            self.thread = None

    def handle(self, headers: dict[str, str], body: bytes, path: str) -> int:
        """Verify, record, answer."""
        with self.lock:
            self.requests += 1
            mode = self.mode
            self.refused += mode == "503"
            self.hung += mode == "hang"
        if mode == "hang":
            self.unhang.wait(60)  # the sender's timeout ends its wait first
            return 503
        if mode == "503":
            return 503
        try:
            verify(
                self.secrets,
                timestamp=headers.get(TIMESTAMP_HEADER),
                signature=headers.get(SIGNATURE_HEADER),
                body=body,
                path=path,
            )
            comment = json.loads(body)["comment"]
            delivery = headers["X-Moderation-Delivery"]
        except SignatureError as exc:
            with self.lock:
                self.bad[f"{exc.code} ({len(body)} bytes, {body[:60]!r})"] += 1
            return 401
        except (ValueError, KeyError) as exc:
            with self.lock:
                self.bad[type(exc).__name__] += 1
            return 400
        with self.lock:
            if delivery in self.deliveries:
                self.duplicates += 1
            else:
                self.deliveries[delivery] = comment
                self.arrivals.append(time.time())
                entry = (int(comment["revision"]), str(comment["status"]), delivery)
                self.by_comment[str(comment["id"])].append(entry)
        return 204

    def got(self, cid: str, revision: int, status: str) -> bool:
        """Whether a callback for this revision with this status arrived."""
        with self.lock:
            return any(r == revision and s == status for r, s, _ in self.by_comment.get(cid, ()))


# --------------------------------------------------------------------------- client


class Client:
    """A site posting signed comments at a steady rate, retrying until it gets a 2xx."""

    def __init__(self, base: str, secret: str, opts: Options, stop: threading.Event) -> None:
        self.url = f"{base}/v1/sites/{SLUG}/comments"
        self.stop = stop
        self.secret, self.opts = secret, opts
        self.rng = random.Random(opts.seed)
        self.lock = threading.Lock()
        self.accepted: dict[str, list[str]] = {}  # comment id -> bodies acknowledged, in order
        self.idle: list[str] = []  # accepted and not being revised right now
        self.retries = Counter[str]()
        self.responses = Counter[int]()
        self.unexpected: list[str] = []
        self.gave_up: list[str] = []
        self.latencies: list[float] = []
        self.sent = 0
        self.revisions_sent = 0
        self.in_flight = 0

    def _body(self, n: int, revision: int) -> str:
        sentence = self.rng.choice(SENTENCES)
        tag = f" (version {revision}, {uuid.uuid4().hex[:6]})" if revision > 1 else ""
        return f"Commentaire {n} : {sentence}{tag}"

    def next_request(self, n: int) -> tuple[str, dict[str, Any]]:
        """The n-th request: a new comment, or (about 10 %) a new revision of an accepted one."""
        with self.lock:
            revise = self.idle and self.rng.random() < self.opts.revision_share
            if revise:
                cid = self.idle.pop(self.rng.randrange(len(self.idle)))
                revision = len(self.accepted[cid]) + 1
                self.revisions_sent += 1
            else:
                cid, revision = f"f-{n}", 1
            self.sent += 1
            self.in_flight += 1
        number = int(cid.split("-")[1])
        data = {
            "id": cid,
            "article": {"id": f"a-{number % 20}", "section": "politique"},
            "author": {"id": f"u-{number % 150}", "source": "site", "email_verified": True},
            "body": self._body(number, revision),
            "language": "fr",
        }
        return cid, data

    def send(self, cid: str, data: dict[str, Any]) -> None:
        """POST until a 2xx (or a non-retryable answer, or ``client_giveup``)."""
        raw = json.dumps(data).encode()
        started = time.monotonic()
        delay = 0.5
        try:
            while True:
                wait = delay
                headers = {
                    "Content-Type": "application/json",
                    **signature_headers(self.secret, raw),
                }
                try:
                    response = requests.post(self.url, data=raw, headers=headers, timeout=30)
                except requests.RequestException as exc:
                    reason = "timeout" if isinstance(exc, requests.Timeout) else "connection"
                else:
                    with self.lock:
                        self.responses[response.status_code] += 1
                    if 200 <= response.status_code < 300:
                        with self.lock:
                            self.accepted.setdefault(cid, []).append(data["body"])
                            self.idle.append(cid)
                            self.latencies.append(time.monotonic() - started)
                        return
                    if response.status_code != 429 and response.status_code < 500:
                        with self.lock:
                            self.unexpected.append(
                                f"{cid}: HTTP {response.status_code} {response.text[:200]}"
                            )
                            if cid in self.accepted:
                                self.idle.append(cid)
                        return
                    reason = f"HTTP {response.status_code}"
                    after = response.headers.get("Retry-After", "")
                    if after.isdigit():
                        wait = min(float(after), 10.0)
                with self.lock:
                    self.retries[reason] += 1
                if time.monotonic() - started > self.opts.client_giveup or self.stop.is_set():
                    with self.lock:
                        self.gave_up.append(f"{cid}: still failing ({reason})")
                    return
                self.stop.wait(wait * random.uniform(0.8, 1.2))
                delay = min(delay * 2, 5.0)
        finally:
            with self.lock:
                self.in_flight -= 1

    def run(self) -> None:
        """Send ``opts.comments`` requests at ``opts.rate`` per second; return when all are done."""
        started = time.monotonic()
        with ThreadPoolExecutor(self.opts.client_threads, thread_name_prefix="site") as pool:
            for n in range(self.opts.comments):
                if self.stop.wait(max(0.0, started + n / self.opts.rate - time.monotonic())):
                    break
                cid, data = self.next_request(n)
                pool.submit(self._guarded, cid, data)

    def _guarded(self, cid: str, data: dict[str, Any]) -> None:
        try:
            self.send(cid, data)
        except Exception as exc:
            with self.lock:
                self.unexpected.append(f"{cid}: client error {exc!r}")


# --------------------------------------------------------------------------- checks


@dataclass
class Report:
    """What a run found; ``failures`` empty means SPEC §8 held."""

    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        """Whether checks (a), (b) and (c) passed."""
        return not self.failures

    def text(self) -> str:
        """The printable report."""
        return "\n".join(self.lines)


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _db_state(url: str) -> dict[str, Any]:
    with psycopg.connect(_libpq(url), connect_timeout=5) as conn:
        comments = {
            ext: (cid, rev, status)
            for cid, ext, rev, status in conn.execute(
                "SELECT id, external_id, revision, status FROM comments"
            )
        }
        bodies: dict[int, dict[int, str]] = defaultdict(dict)
        for cid, rev, body in conn.execute(
            "SELECT comment_id, revision, payload->>'body' FROM comment_revisions"
        ):
            bodies[cid][rev] = body
        auto: dict[tuple[int, int], list[str]] = defaultdict(list)
        other = 0
        for cid, rev, by, status in conn.execute(
            "SELECT comment_id, revision, decided_by, status FROM decisions"
        ):
            if by == "auto":
                auto[(cid, rev)].append(status)
            else:
                other += 1
        deliveries = Counter(
            dict(conn.execute("SELECT status, count(*) FROM deliveries GROUP BY status").fetchall())
        )
        attempts = conn.execute("SELECT count(*) FROM delivery_attempts").fetchone()
    return {
        "comments": comments,
        "bodies": bodies,
        "auto": auto,
        "human_decisions": other,
        "deliveries": deliveries,
        "attempts": attempts[0] if attempts else 0,
    }


def _progress(url: str, client: Client, receiver: Receiver) -> tuple[int, int, int] | None:
    """(comments pending, deliveries pending, comments whose final callback is missing)."""
    try:
        with psycopg.connect(_libpq(url), connect_timeout=3) as conn:
            pending = conn.execute("SELECT count(*) FROM comments WHERE status = 'pending'")
            comments_pending = (pending.fetchone() or (0,))[0]
            due = conn.execute("SELECT count(*) FROM deliveries WHERE status = 'pending'")
            deliveries_pending = (due.fetchone() or (0,))[0]
            rows = conn.execute(
                "SELECT external_id, revision, status FROM comments WHERE status <> 'pending'"
            ).fetchall()
    except psycopg.Error:
        return None
    with client.lock:
        accepted = set(client.accepted)
    decided = {ext for ext, rev, status in rows if receiver.got(ext, rev, status)}
    return comments_pending, deliveries_pending, len(accepted - decided)


def check(url: str, client: Client, receiver: Receiver) -> tuple[list[str], list[str]]:
    """Checks (a), (b), (c): (lines, failures)."""
    state = _db_state(url)
    comments, bodies, auto = state["comments"], state["bodies"], state["auto"]
    lines, failures = [], []
    with client.lock:
        accepted = {cid: list(b) for cid, b in client.accepted.items()}

    # (a) nothing acknowledged is missing
    missing = sorted(cid for cid in accepted if cid not in comments)
    lost_revisions = []
    for cid, sent in accepted.items():
        if cid in comments:
            stored = set(bodies[comments[cid][0]].values())
            lost_revisions += [f"{cid}: {b[:40]!r}" for b in sent if b not in stored]
    acked = sum(len(b) for b in accepted.values())
    stored_total = sum(len(bodies[comments[c][0]]) for c in accepted if c in comments)
    ok_a = not missing and not lost_revisions
    lines.append(
        f"(a) stored: {len(accepted) - len(missing)}/{len(accepted)} accepted comments, "
        f"{acked - len(lost_revisions)}/{acked} accepted revisions "
        f"({stored_total} revisions stored)  {'OK' if ok_a else 'FAIL'}"
    )
    if missing:
        failures.append(f"(a) {len(missing)} accepted comments missing: {missing[:10]}")
    if lost_revisions:
        failures.append(
            f"(a) {len(lost_revisions)} accepted revisions missing: {lost_revisions[:5]}"
        )

    # (b) decided for the newest accepted revision, one automatic decision per revision
    undecided, stale, wrong, no_decision = [], [], [], []
    for cid, sent in accepted.items():
        if cid not in comments:
            continue
        pk, rev, status = comments[cid]
        if bodies[pk].get(rev) != sent[-1]:
            stale.append(f"{cid} (stored revision {rev} is not the newest accepted body)")
        if status == "pending":
            undecided.append(cid)
        elif len(auto.get((pk, rev), [])) == 0:
            no_decision.append(f"{cid} r{rev} {status}")
        elif auto[(pk, rev)][0] != status:
            wrong.append(f"{cid} r{rev}: decision {auto[(pk, rev)][0]}, comment {status}")
    duplicates = {key: n for key, n in auto.items() if len(n) > 1}
    scored = len(auto)
    ok_b = not (undecided or stale or wrong or no_decision or duplicates)
    lines.append(
        f"(b) decided on the newest revision: {len(accepted) - len(undecided)}/{len(accepted)}; "
        f"automatic decisions: {sum(len(v) for v in auto.values())} for {scored} scored "
        f"revisions, duplicates {len(duplicates)}  {'OK' if ok_b else 'FAIL'}"
    )
    for label, items in (
        ("still pending", undecided),
        ("not on the newest accepted revision", stale),
        ("decided without a decision record", no_decision),
        ("decision and comment disagree", wrong),
    ):
        if items:
            failures.append(f"(b) {len(items)} {label}: {items[:10]}")
    if duplicates:
        shown = [f"comment {k[0]} r{k[1]}: {v}" for k, v in list(duplicates.items())[:10]]
        failures.append(f"(b) {len(duplicates)} revisions decided more than once: {shown}")

    # (c) every final outcome reached the receiver
    not_called, contradicted = [], []
    for cid in accepted:
        if cid not in comments:
            continue
        _pk, rev, status = comments[cid]
        with receiver.lock:
            got = [(r, s) for r, s, _ in receiver.by_comment.get(cid, ())]
        if (rev, status) not in got:
            not_called.append(f"{cid} r{rev} {status}")
        if any(r == rev and s != status for r, s in got):
            contradicted.append(f"{cid} r{rev}: stored {status}, called back {got}")
    ok_c = not not_called and not contradicted
    lines.append(
        f"(c) final outcome called back: {len(accepted) - len(not_called)}/{len(accepted)}  "
        f"{'OK' if ok_c else 'FAIL'}"
    )
    if not_called:
        failures.append(f"(c) {len(not_called)} final outcomes never delivered: {not_called[:10]}")
    if contradicted:
        failures.append(
            f"(c) {len(contradicted)} callbacks contradict the record: {contradicted[:5]}"
        )
    statuses = Counter(status for _pk, _rev, status in comments.values())
    lines.append(
        "outcomes: "
        + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        + f"; deliveries: {dict(sorted(state['deliveries'].items()))}, "
        f"{state['attempts']} attempts"
    )
    return lines, failures


def _throughput(url: str, marks: list[tuple[str, float]], receiver: Receiver) -> list[str]:
    """Decisions and callbacks per second in each phase of the run."""
    with psycopg.connect(_libpq(url), connect_timeout=5) as conn:
        decided = sorted(
            float(t)
            for (t,) in conn.execute("SELECT extract(epoch FROM decided_at) FROM decisions")
        )
    with receiver.lock:
        arrived = sorted(receiver.arrivals)
    lines = ["throughput by phase (decisions/s, callbacks received/s):"]
    ordered = sorted(marks, key=lambda mark: mark[1])
    for (name, start), (_next, end) in itertools.pairwise(ordered):
        if end - start < 0.5:
            continue
        n_dec = bisect.bisect(decided, end) - bisect.bisect(decided, start)
        n_cb = bisect.bisect(arrived, end) - bisect.bisect(arrived, start)
        lines.append(
            f"  {name:<34} {end - start:5.1f} s  {n_dec / (end - start):6.1f}  "
            f"{n_cb / (end - start):6.1f}"
        )
    return lines


def _log_problems(logs: Path, limit: int = 15) -> list[str]:
    """Warnings and errors in the processes' logs, grouped, most frequent first."""
    seen = Counter[str]()
    for path in sorted(logs.glob("*.log")):
        kind = path.stem.rstrip("0123456789")
        for line in path.read_text(errors="replace").splitlines():
            text = None
            if line.startswith("{"):
                with contextlib.suppress(ValueError, AttributeError):
                    entry = json.loads(line)
                    if entry.get("level") in ("WARNING", "ERROR", "CRITICAL"):
                        text = f"{entry['level']} {entry.get('message')}"
                        if entry.get("error"):
                            text += f" ({str(entry['error'])[:70]})"
            elif line.startswith("[") and any(
                f" {level}/" in line for level in ("WARNING", "ERROR", "CRITICAL")
            ):
                text = line.split(": ", 1)[-1].strip()
            if text:
                # Group lines that differ only by pids, job numbers, ids and times.
                text = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}|\d+", "N", text)
                seen[f"{kind}: {text[:170]}"] += 1
    return [f"{n:5d} x {text}" for text, n in seen.most_common(limit)]


# --------------------------------------------------------------------------- the run


def run(opts: Options) -> Report:
    """One fault-injection run; see the module docstring."""
    report = Report()
    reason = can_inject_faults()
    if reason:
        raise RuntimeError(f"cannot inject faults here: {reason}")
    logs = Path(tempfile.mkdtemp(prefix="moderation-faults-"))
    say = opts.progress
    try:
        with fresh_database(logs / "services.log") as url:
            try:
                _run_on(url, opts, logs, report)
            finally:
                for line in ensure_services(logs / "services.log"):
                    report.lines.append("services: " + line)
                with contextlib.suppress(redis.RedisError, OSError):
                    _flush_redis()
    except BaseException:
        report.failures.append("the harness itself failed:\n" + traceback.format_exc())
        raise
    finally:
        if opts.keep_logs or not report.ok:
            say(f"process logs kept in {logs}")
        else:
            shutil.rmtree(logs, ignore_errors=True)
    return report


def _flush_redis() -> None:
    with redis.Redis.from_url(REDIS, socket_timeout=5) as client:
        client.flushdb()


def _run_on(url: str, opts: Options, logs: Path, report: Report) -> None:
    say = opts.progress
    rules = logs / "rules"
    rules.mkdir()
    (rules / "house.yaml").write_text(RULES)
    (logs / "models").mkdir()
    _flush_redis()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": REDIS,
        "REDIS_URL": REDIS,
        "MODERATION_SCORING": "celery",
        "MODERATION_SECRET_KEY": "faults-secret-key",
        "MODERATION_ALLOW_PRIVATE_CALLBACKS": "1",
        "MODERATION_RATE_LIMITS": "0",
        "MODERATION_LOG_LEVEL": "WARNING",
        "MODERATION_LOG_FORMAT": "json",
        "MODERATION_RULES_DIR": str(rules),
        "MODERATION_MODELS_DIR": str(logs / "models"),
        "MODERATION_SWEEP_INTERVAL_SECONDS": "1",
        "MODERATION_SWEEP_AFTER_SECONDS": str(opts.sweep_after),
        "MODERATION_CALLBACK_TIMEOUT_SECONDS": "5",
        "MODERATION_CALLBACK_FIRST_RETRY_SECONDS": str(opts.callback_first_retry),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    receiver = Receiver()
    stack = Stack(env, logs, opts)
    stop = threading.Event()
    events: list[str] = []
    marks: list[tuple[str, float]] = []  # (phase starting now, wall-clock time)
    t0 = time.monotonic()

    def event(text: str, phase: str | None = None) -> None:
        events.append(f"{time.monotonic() - t0:6.1f}s {text}")
        say(events[-1])
        if phase:
            marks.append((phase, time.time()))

    threads: list[threading.Thread] = []
    try:
        receiver.listen()
        secret = _create_site(url, env, receiver.url)
        receiver.secrets.append(secret)
        stack.start()
        client = Client(stack.base, secret, opts, stop)
        traffic = opts.comments / opts.rate
        t0 = time.monotonic()
        event(
            f"stack up; sending {opts.comments} webhooks at {opts.rate:g}/s (~{traffic:.0f} s)",
            phase="steady",
        )
        sending = threading.Event()
        sending.set()

        def guarded(name: str, body: Callable[[], None]) -> threading.Thread:
            def target() -> None:
                try:
                    body()
                except Exception:
                    report.failures.append(
                        f"harness thread {name} failed: {traceback.format_exc()}"
                    )
                    stop.set()

            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            threads.append(thread)
            return thread

        def killer() -> None:
            half = opts.kill_every / 2
            while True:
                if opts.pool_kills:
                    if stop.wait(half) or not sending.is_set():
                        return
                    stack.kill_pool_process()
                    if stop.wait(opts.kill_every - half) or not sending.is_set():
                        return
                elif stop.wait(opts.kill_every) or not sending.is_set():
                    return
                stack.kill_worker()

        def supervisor() -> None:
            broker = redis.Redis.from_url(REDIS, socket_timeout=0.5, socket_connect_timeout=0.5)
            with broker:
                while not stop.wait(0.5):
                    for text in stack.supervise():
                        event(f"supervisor: {text}; restarted it")
                    with contextlib.suppress(redis.RedisError, OSError):
                        stack.count["queue peak"] = max(
                            stack.count["queue peak"], int(broker.llen("moderation"))
                        )

        def faults() -> None:
            service_log = logs / "services.log"
            plan: list[tuple[float, str, Callable[[], None]]] = [
                (0.3 * traffic, "redis", lambda: _outage_redis(opts, stop, service_log, event)),
                (0.55 * traffic, "postgres", lambda: _outage_pg(opts, stop, service_log, event)),
                (0.7 * traffic, "receiver", lambda: _outage_receiver(opts, stop, receiver, event)),
            ]
            for at, name, action in plan:
                if name not in opts.faults:
                    continue
                if stop.wait(max(0.0, t0 + at - time.monotonic())):
                    return
                action()

        client_thread = guarded("client", client.run)
        if "kills" in opts.faults:
            guarded("killer", killer)
        guarded("supervisor", supervisor)
        fault_thread = guarded("faults", faults)
        last = 0.0
        while client_thread.is_alive() or client.in_flight:
            time.sleep(0.5)
            if time.monotonic() - last >= 5:
                last = time.monotonic()
                with client.lock:
                    done = sum(len(b) for b in client.accepted.values())
                    retries = sum(client.retries.values())
                state = _progress(url, client, receiver)
                pending = (
                    f"; {state[0]} comments pending, {state[1]} callbacks pending"
                    if state
                    else "; database unreachable"
                )
                event(f"client: {done}/{client.sent} acknowledged, {retries} retries{pending}")
            if time.monotonic() - t0 > traffic + opts.client_giveup + 120:
                report.failures.append("client did not finish in time")
                break
        sending.clear()
        fault_thread.join(timeout=opts.redis_down + opts.pg_down + opts.receiver_outage + 180)
        traffic_done = time.monotonic() - t0
        event(
            f"traffic over after {traffic_done:.1f} s; kills stopped; waiting to settle",
            phase="settling (no traffic, no faults)",
        )
        settled_at = _settle(url, client, receiver, opts, event)
        marks.append(("end", time.time()))
        settle_time = time.monotonic() - t0 - traffic_done
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        lines, failures = check(url, client, receiver)
        report.failures += failures
        _summarise(report, opts, client, receiver, stack, traffic_done, settle_time)
        report.lines.append(f"settled: {'yes' if settled_at is not None else 'NO'}")
        report.lines += lines
        report.lines += _throughput(url, marks, receiver)
        report.lines.append("timeline:")
        report.lines += ["  " + e for e in events]
        problems = _log_problems(logs)
        if problems:
            report.lines.append("warnings and errors in the process logs (most frequent first):")
            report.lines += ["  " + p for p in problems]
        if client.unexpected or client.gave_up:
            report.failures.append(
                f"client: {len(client.unexpected)} unexpected answers, {len(client.gave_up)} "
                f"webhooks given up: {(client.unexpected + client.gave_up)[:5]}"
            )
        if receiver.bad:
            report.failures.append(f"receiver got badly signed callbacks: {dict(receiver.bad)}")
    finally:
        stop.set()
        receiver.mode = "up"
        receiver.unhang.set()
        for thread in threads:
            thread.join(timeout=60)
        stack.stop()
        receiver.close()


def _create_site(url: str, env: dict[str, str], callback_url: str) -> str:
    from moderation import create_app
    from moderation.dbcli import upgrade
    from moderation.extensions import db
    from moderation.sites.service import add_site

    app = create_app(
        {
            "DATABASE_URL": url,
            "CELERY_BROKER_URL": REDIS,
            "SECRET_KEY": env["MODERATION_SECRET_KEY"],
            "ALLOW_PRIVATE_CALLBACKS": True,
            "RULES_DIR": env["MODERATION_RULES_DIR"],
            "MODELS_DIR": env["MODERATION_MODELS_DIR"],
            "RATE_LIMITS_ENABLED": False,
            "LOG_LEVEL": "WARNING",
        }
    )
    with app.app_context():
        upgrade(url)
        secret = add_site(db.session, slug=SLUG, callback_url=callback_url)[1]
        db.session.commit()
        db.remove()
        db.engine.dispose()
    return secret


def _outage_redis(opts: Options, stop: threading.Event, log: Path, event: Callable) -> None:
    event(
        "fault: Redis shutdown nosave (queued and unacknowledged messages are lost)",
        phase="Redis down",
    )
    try:
        stop_redis(log)
        stop.wait(opts.redis_down)
    finally:
        start_redis(log)
        event("fault: Redis back", phase="after Redis")


def _outage_pg(opts: Options, stop: threading.Event, log: Path, event: Callable) -> None:
    event("fault: PostgreSQL stop", phase="PostgreSQL down")
    try:
        stop_postgres(log)
        stop.wait(opts.pg_down)
    finally:
        start_postgres(log)
        event("fault: PostgreSQL back", phase="after PostgreSQL")


def _outage_receiver(
    opts: Options, stop: threading.Event, receiver: Receiver, event: Callable
) -> None:
    third = opts.receiver_outage / 3
    event(f"fault: callback receiver answers 503 for {third:g} s", phase="receiver 503")
    receiver.mode = "503"
    try:
        stop.wait(third)
        event(
            f"fault: callback receiver accepts but never answers for {third:g} s",
            phase="receiver hangs",
        )
        receiver.unhang.clear()
        receiver.mode = "hang"
        stop.wait(third)
    finally:
        receiver.mode = "up"
        receiver.unhang.set()
    event(f"fault: callback receiver stops listening for {third:g} s", phase="receiver refuses")
    receiver.close()
    try:
        stop.wait(third)
    finally:
        receiver.listen()
        event("fault: callback receiver back", phase="after receiver")


def _settle(
    url: str, client: Client, receiver: Receiver, opts: Options, event: Callable
) -> float | None:
    """Wait until nothing is pending and every final outcome was called back (bounded)."""
    started = time.monotonic()
    idle_since: float | None = None
    last = 0.0
    while time.monotonic() - started < opts.settle_timeout:
        state = _progress(url, client, receiver)
        now = time.monotonic()
        if state is not None:
            comments, deliveries, missing = state
            if comments == deliveries == missing == 0:
                event(f"settled after {now - started:.1f} s")
                return now - started
            if now - last >= 5:
                last = now
                event(
                    f"settling: {comments} comments pending, {deliveries} callbacks pending, "
                    f"{missing} final outcomes not yet received"
                )
            if comments == deliveries == 0:
                idle_since = idle_since or now
                if now - idle_since > opts.idle_giveup:
                    event("nothing pending, yet outcomes are missing: giving up waiting")
                    return None
            else:
                idle_since = None
        time.sleep(1.0)
    event(f"did not settle within {opts.settle_timeout:g} s")
    return None


def _summarise(
    report: Report,
    opts: Options,
    client: Client,
    receiver: Receiver,
    stack: Stack,
    traffic: float,
    settle: float,
) -> None:
    lat = sorted(client.latencies) or [0.0]
    revisions = sum(len(b) - 1 for b in client.accepted.values())
    retries = sum(client.retries.values())
    report.counts.update(
        accepted=len(client.accepted),
        revisions=revisions,
        retries=retries,
        worker_kills=stack.count["worker"],
        pool_kills=stack.count["pool"],
        unexpected_exits=len(stack.unexpected),
        deliveries=len(receiver.deliveries),
        duplicates=receiver.duplicates,
        refused=receiver.refused + receiver.hung,
    )
    lines = report.lines
    lines.append(f"machine: {machine()}")
    lines.append(
        f"stack: gunicorn 2 workers, {opts.workers} scoring workers x {opts.concurrency}, "
        f"1 callbacks worker x 4, 1 beat (sweep every 1 s, after {opts.sweep_after} s), PostgreSQL, Redis"
    )
    lines.append(
        f"traffic: {client.sent} webhooks in {traffic:.1f} s (target {opts.rate:g}/s), "
        f"settled {settle:.1f} s later"
    )
    lines.append(
        f"accepted: {len(client.accepted)} comments, {revisions} new revisions "
        f"({client.revisions_sent} revision requests)"
    )
    lines.append(
        f"client retries: {retries} ("
        + ", ".join(f"{k} {v}" for k, v in client.retries.most_common())
        + f"); answers: {dict(sorted(client.responses.items()))}"
    )
    lines.append(
        f"time to 2xx: median {statistics.median(lat) * 1000:.0f} ms, "
        f"p99 {lat[int(0.99 * (len(lat) - 1))]:.2f} s, max {lat[-1]:.2f} s"
    )
    lines.append(
        f"kills: {stack.count['worker']} workers (SIGKILL to the process group, replaced), "
        f"{stack.count['pool']} pool processes ({stack.count['pool skipped']} skipped); "
        f"unexpected exits: {len(stack.unexpected)} {stack.unexpected[:5]}"
    )
    lines.append(f"broker queue: at most {stack.count['queue peak']} messages waiting")
    lines.append(
        f"callbacks: {len(receiver.deliveries)} deliveries received, "
        f"{receiver.duplicates} duplicates (same delivery id again), "
        f"{receiver.refused} answered 503, {receiver.hung} left hanging, "
        f"{receiver.truncated} cut short by a killed sender, "
        f"{receiver.requests} requests"
    )
