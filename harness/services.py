"""Private PostgreSQL and Redis servers on free ports, and resetting a database we are given."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from harness.procs import Proc, free_port, wait_until

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
# Where private servers listen; a benchmark with network namespaces adds its veth addresses.
LOOPBACK = ("127.0.0.1",)


def pg_bin() -> Path | None:
    """The newest PostgreSQL server binaries directory, if installed."""
    found = sorted(Path("/").glob(PG_BIN_GLOB.lstrip("/")), key=lambda p: int(p.parent.name))
    return found[-1] if found else None


def missing_tools() -> str | None:
    """None if private PostgreSQL and Redis servers can be started here; else why not."""
    if pg_bin() is None:
        return f"no PostgreSQL server binaries in {PG_BIN_GLOB}"
    if shutil.which("redis-server") is None:
        return "redis-server not found"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser (initdb refuses root)"
    return None


def libpq(url: str) -> str:
    """A SQLAlchemy URL as psycopg wants it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _as_postgres(args: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; CI runs as root.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class PrivatePostgres:
    """A throw-away PostgreSQL cluster on a free loopback port (trust auth, user postgres)."""

    def __init__(
        self, fast: bool = True, listen: Sequence[str] = LOOPBACK, settings: Sequence[str] = ()
    ) -> None:
        bindir = pg_bin()
        if bindir is None:
            raise RuntimeError(missing_tools() or "no PostgreSQL")
        self.bin, self.port, self.listen = bindir, free_port(), list(listen)
        self.base = Path(tempfile.mkdtemp(prefix="moderation-pg-"))
        self.data, self.log = self.base / "data", self.base / "postgres.log"
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        self._options = f"-p {self.port} -c listen_addresses={','.join(listen)} -k {self.base}"
        if fast:  # durability is not what the tests are about
            self._options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        # e.g. "shared_preload_libraries=pg_stat_statements" for a benchmark that counts statements
        self._options += "".join(f" -c {setting}" for setting in settings)

    def _run(self, *args: str, timeout: float = 120) -> None:
        cmd = _as_postgres([str(self.bin / args[0]), *args[1:]])
        subprocess.run(cmd, cwd=self.base, check=True, timeout=timeout, capture_output=True)

    def init(self) -> None:
        """Create the cluster."""
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        # Clients on another listen address (a network namespace's veth): only its /24, trusted.
        others = [a for a in self.listen if a not in LOOPBACK]
        with (self.data / "pg_hba.conf").open("a") as hba:
            hba.writelines(f"host all all {address}/24 trust\n" for address in others)

    def start(self) -> None:
        """Start the server; return once it accepts connections."""
        data, log = str(self.data), str(self.log)
        self._run("pg_ctl", "-D", data, "-l", log, "-o", self._options, "-w", "start")
        if not wait_until(self.up, 60, every=0.2):
            raise RuntimeError(f"private PostgreSQL did not start: {self.log}")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (fast: sessions are cut, transactions roll back)."""
        with contextlib.suppress(subprocess.SubprocessError):
            self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", timeout=60)

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL for ``database`` on this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def up(self) -> bool:
        """Whether the server answers a query."""
        return _answers(libpq(self.url()))

    def postmaster(self) -> int:
        """The server's main process id (its backends are its children, in its group)."""
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def create_database(self, name: str) -> str:
        """Create ``name``; return its URL."""
        with psycopg.connect(libpq(self.url()), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def destroy(self) -> None:
        """Stop the server at once and delete its data directory."""
        self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)


class PrivateRedis:
    """A redis-server without persistence on a free loopback port."""

    def __init__(self, listen: Sequence[str] = LOOPBACK) -> None:
        self.port, self.listen = free_port(), list(listen)
        self.base = Path(tempfile.mkdtemp(prefix="moderation-redis-"))
        self.proc: Proc | None = None

    def url(self, db: int = 0) -> str:
        """The URL of database ``db``."""
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        """Start the server; return once it answers PING."""
        args = ["redis-server", "--port", str(self.port), "--bind", *self.listen]
        args += ["--save", "", "--appendonly", "no", "--dir", str(self.base)]
        if any(a not in LOOPBACK for a in self.listen):  # a veth address we were asked to serve
            args += ["--protected-mode", "no"]
        self.proc = Proc("redis", args, os.environ, self.base / "redis.log", cwd=self.base)
        if not wait_until(self.up, 30):
            raise RuntimeError(f"private Redis did not start: {self.base / 'redis.log'}")

    def kill(self) -> None:
        """SIGKILL the server: every queued and unacknowledged message is lost."""
        if self.proc is not None:
            self.proc.kill()
            self.proc = None

    def up(self) -> bool:
        """Whether the server answers a bare PING (redis-py would retry and blur timings)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def destroy(self) -> None:
        """Kill the server and delete its directory."""
        self.kill()
        shutil.rmtree(self.base, ignore_errors=True)


@contextlib.contextmanager
def private_postgres(
    fast: bool = True, listen: Sequence[str] = LOOPBACK, settings: Sequence[str] = ()
) -> Iterator[PrivatePostgres]:
    """A started private PostgreSQL, destroyed afterwards (also on failure)."""
    server = PrivatePostgres(fast, listen, settings)
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.destroy()


@contextlib.contextmanager
def private_redis(listen: Sequence[str] = LOOPBACK) -> Iterator[PrivateRedis]:
    """A started private Redis, destroyed afterwards (also on failure)."""
    server = PrivateRedis(listen)
    try:
        server.start()
        yield server
    finally:
        server.destroy()


class PrivatePgBouncer:
    """PgBouncer in transaction pooling mode in front of ``server`` (trust auth, user postgres)."""

    def __init__(self, server: PrivatePostgres, pool_size: int = 2) -> None:
        self.server, self.port = server, free_port()
        self.base = server.base / "pgbouncer"
        self.base.mkdir()
        (self.base / "users.txt").write_text('"postgres" ""\n')
        settings = {
            "listen_addr": "127.0.0.1",
            "listen_port": self.port,
            "auth_type": "trust",
            "auth_file": self.base / "users.txt",
            "pool_mode": "transaction",
            "default_pool_size": pool_size,
            "unix_socket_dir": "",
            "logfile": self.base / "pgbouncer.log",
        }
        (self.base / "pgbouncer.ini").write_text(
            f"[databases]\n* = host=127.0.0.1 port={server.port}\n[pgbouncer]\n"
            + "".join(f"{key} = {value}\n" for key, value in settings.items())
        )
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        self.proc: Proc | None = None

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL for ``database`` through the pooler."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        """Start the pooler; return once it answers a query."""
        args = _as_postgres([str(shutil.which("pgbouncer")), str(self.base / "pgbouncer.ini")])
        self.proc = Proc("pgbouncer", args, os.environ, self.base / "stdout.log", cwd=self.base)
        if not wait_until(lambda: _answers(libpq(self.url())), 30, every=0.2):
            raise RuntimeError(f"private PgBouncer did not start: {self.base}")

    def destroy(self) -> None:
        """Kill the pooler."""
        if self.proc is not None:
            self.proc.kill()
            self.proc = None


def _answers(dsn: str) -> bool:
    try:
        with psycopg.connect(dsn, connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


@contextlib.contextmanager
def private_pgbouncer(server: PrivatePostgres, pool_size: int = 2) -> Iterator[PrivatePgBouncer]:
    """A started PgBouncer (transaction pooling) in front of ``server``, killed afterwards."""
    pooler = PrivatePgBouncer(server, pool_size)
    try:
        pooler.start()
        yield pooler
    finally:
        pooler.destroy()
