"""Child processes in their own process groups, free ports and bounded waits."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

# The checkout: child processes run here so ``workers.app`` and relative paths resolve.
ROOT = Path(__file__).resolve().parents[1]
# The virtualenv's scripts (celery, gunicorn, moderation) next to this interpreter.
BIN = Path(sys.executable).parent


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(predicate: Callable[[], object], timeout: float = 30.0, every: float = 0.1) -> bool:
    """Poll ``predicate`` until it is truthy or ``timeout`` passes; say whether it became so."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return bool(predicate())


def tail(path: Path, chars: int = 2000) -> str:
    """The end of a log file ('' if unreadable)."""
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


class Proc:
    """A child process in its own process group, so a kill takes its children too."""

    def __init__(
        self,
        name: str,
        args: list[str],
        env: Mapping[str, str],
        log: Path | None,
        cwd: Path = ROOT,
    ) -> None:
        self.name, self.args, self.env, self.log_path, self.cwd = name, args, dict(env), log, cwd
        # No log: the output goes to our own stdout and stderr (``make run``).
        self.log = log.open("ab") if log is not None else None
        self.started = time.monotonic()
        self.handle = subprocess.Popen(
            args,
            env=self.env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT if self.log else None,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        """The group leader's pid."""
        return self.handle.pid

    def alive(self) -> bool:
        """Whether the leader still runs."""
        return self.handle.poll() is None

    def again(self) -> Proc:
        """A new process with the same command, environment and log."""
        return Proc(self.name, self.args, self.env, self.log_path, self.cwd)

    def send(self, sig: int) -> None:
        """Send ``sig`` to the whole group (no-op if it is gone)."""
        signal_group(self.handle.pid, sig)

    def kill(self, sig: int = signal.SIGKILL, timeout: float = 30) -> None:
        """Signal the whole group and reap the leader (SIGKILL if it lingers)."""
        self.send(sig)
        try:
            self.handle.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.send(signal.SIGKILL)
            self.handle.wait(timeout=30)
        # Children that outlived their leader go with the group.
        self.send(signal.SIGKILL)
        if self.log is not None:
            self.log.close()


def signal_group(pgid: int, sig: int) -> None:
    """Send ``sig`` to every process of group ``pgid`` (no-op if it is gone)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def group_alive(pgid: int) -> bool:
    """Whether any process of group ``pgid`` still exists (zombies excluded)."""
    for entry in Path("/proc").iterdir():
        fields = _stat(entry)
        if fields and fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


def group_cpu(pgid: int) -> float:
    """CPU seconds used so far by group ``pgid``, its leader's children and those it reaped."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        fields = _stat(entry)
        # The leader's children too: PostgreSQL puts each backend in a group of its own.
        if fields and pgid in (int(fields[1]), int(fields[2])):
            # utime, stime; the leader also counts its reaped children (cutime, cstime).
            ticks += sum(int(f) for f in fields[11 : 15 if int(entry.name) == pgid else 13])
    return ticks / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (from /proc)."""
    return [int(e.name) for e in Path("/proc").iterdir() if (f := _stat(e)) and int(f[1]) == pid]


def age(pid: int) -> float:
    """Seconds since ``pid`` started (0 if it is gone)."""
    fields = _stat(Path("/proc") / str(pid))
    try:
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except OSError:
        return 0.0
    if not fields:
        return 0.0
    return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")


def _stat(entry: Path) -> list[str] | None:
    """The fields of /proc/<pid>/stat after "(comm)": state, ppid, pgrp, ...; None if gone."""
    if not entry.name.isdigit():
        return None
    try:
        text = (entry / "stat").read_text()
    except OSError:
        return None
    # "pid (comm) state ppid pgrp ..."; comm may contain spaces and parentheses.
    return text.rsplit(")", 1)[-1].split()
