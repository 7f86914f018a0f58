"""What a fault run found: the report, its summary lines and the processes' complaints."""

from __future__ import annotations

import contextlib
import json
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench._faults.client import Client
from bench._faults.options import Options
from bench._faults.stack import Stack
from bench._stack import machine
from harness.receiver import Receiver


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


def summarise(
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
        callbacks_kills=stack.count["callbacks"],
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
        f"{stack.count['pool']} pool processes ({stack.count['pool skipped']} skipped), "
        f"{stack.count['callbacks']} callbacks workers; "
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


def log_problems(logs: Path, limit: int = 15) -> list[str]:
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
