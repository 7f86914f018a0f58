"""The Procfile's processes, started from its own lines as a Procfile runner would."""

from __future__ import annotations

import contextlib
import re
import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path

from harness.procs import BIN, ROOT, Proc
from harness.stack import await_start, pool_ready, schedule_opened, web_up

PROCFILE = ROOT / "Procfile"
_DEFAULT = re.compile(r"\$\{(\w+):-([^}]*)\}")
_OURS = {"celery", "gunicorn", "moderation"}


def entries(path: Path = PROCFILE) -> dict[str, str]:
    """The Procfile's command lines, by process type."""
    found = {}
    for line in path.read_text().splitlines():
        kind, sep, command = line.partition(":")
        if sep and kind.strip().isidentifier() and not line.startswith("#"):
            found[kind.strip()] = command.strip()
    return found


def command(line: str, env: Mapping[str, str]) -> list[str]:
    """``line`` with ``${VAR:-default}`` expanded from ``env``, as an argv for our venv's tools."""
    expanded = _DEFAULT.sub(lambda m: env.get(m[1]) or m[2], line)
    # beat's "mkdir -p var && celery ...": the schedule's directory is the caller's to make.
    args = shlex.split(expanded.split("&&")[-1])
    if args[0] in _OURS:
        args[0] = str(BIN / args[0])
    # Listen on loopback only: the hosts we measure on are shared.
    return [a.replace("0.0.0.0:", "127.0.0.1:") for a in args]


def _option(args: Sequence[str], prefix: str) -> str:
    return next(a.removeprefix(prefix) for a in args if a.startswith(prefix))


class ProcfileStack:
    """web, worker (``scoring`` copies), callbacks and beat from the Procfile, on ``env``.

    ``env`` needs PORT and MODERATION_BEAT_SCHEDULE besides the service's own settings;
    WEB_CONCURRENCY, WORKER_CONCURRENCY and CALLBACK_CONCURRENCY size the pools.
    """

    def __init__(self, env: Mapping[str, str], logs: Path) -> None:
        self.env, self.logs = dict(env), logs
        self.lines = entries()
        self.base = f"http://127.0.0.1:{self.env['PORT']}"
        self.scoring: list[Proc] = []
        self.others: list[Proc] = []
        self._started = 0  # scoring workers ever started: each has its own name and log

    def _celery(self, kind: str, n: int, prefix: Sequence[str], env: Mapping[str, str]) -> Proc:
        args = command(self.lines[kind], env)
        # Distinct node names: several workers of one type share a host here.
        args += ["-n", f"{kind}{n}@%h"]
        proc = Proc(f"{kind}{n}", [*prefix, *args], env, self.logs / f"{kind}{n}.log")
        concurrency = int(_option(args, "--concurrency="))
        return await_start(proc, pool_ready(proc, concurrency), f"Procfile {kind}")

    def add_scoring(self, prefix: Sequence[str] = (), env: Mapping[str, str] | None = None) -> Proc:
        """One more ``worker`` process, run after ``prefix`` (e.g. ip netns exec NS), once ready."""
        self._started += 1
        proc = self._celery("worker", self._started, prefix, env or self.env)
        self.scoring.append(proc)
        return proc

    def stop_scoring(self) -> None:
        """SIGKILL every scoring worker (between measurements: nothing is in flight)."""
        for proc in self.scoring:
            proc.kill()
        self.scoring = []

    def start(self, scoring: int = 1) -> str:
        """web, ``scoring`` workers, callbacks, beat; return the web's base URL once all run."""
        web = Proc("web", command(self.lines["web"], self.env), self.env, self.logs / "web.log")
        self.others.append(await_start(web, lambda: web_up(self.base), "Procfile web", every=0.2))
        self.others.append(self._celery("callbacks", 1, (), self.env))
        schedule = Path(self.env["MODERATION_BEAT_SCHEDULE"])
        beat = Proc("beat", command(self.lines["beat"], self.env), self.env, self.logs / "beat.log")
        self.others.append(await_start(beat, schedule_opened(schedule), "Procfile beat"))
        for _ in range(scoring):
            self.add_scoring()
        return self.base

    def procs(self) -> list[Proc]:
        """Every process group started, scoring workers first."""
        return self.scoring + self.others

    def stop(self) -> None:
        """SIGKILL every process group started."""
        for proc in self.procs():
            with contextlib.suppress(Exception):
                proc.kill()
        self.scoring, self.others = [], []

    def __enter__(self) -> ProcfileStack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
