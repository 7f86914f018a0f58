"""The faults: worker and pool-process kills, Redis and PostgreSQL outages, a failing receiver."""

from __future__ import annotations

import threading
from collections.abc import Callable

from bench._faults.options import Options
from bench._faults.stack import Stack
from harness.receiver import Receiver
from harness.services import PrivatePostgres, PrivateRedis

Event = Callable[..., None]  # event(text, phase=None): log a line, maybe start a phase


def kill_workers(
    stack: Stack, opts: Options, stop: threading.Event, sending: threading.Event
) -> None:
    """Every ``kill_every`` s SIGKILL a worker, and a pool process half-way between.

    Every third kill also takes the callbacks worker, mid-batch or not.
    """
    half, kills = opts.kill_every / 2, 0
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
        kills += 1
        if opts.callback_kills and kills % 3 == 0:
            stack.kill_callbacks()


def redis_outage(server: PrivateRedis, opts: Options, stop: threading.Event, event: Event) -> None:
    """SIGKILL the private Redis (queued and unacknowledged messages are lost), restart it."""
    event("fault: Redis killed (queued and unacknowledged messages are lost)", phase="Redis down")
    try:
        server.kill()
        stop.wait(opts.redis_down)
    finally:
        server.start()
        event("fault: Redis back", phase="after Redis")


def pg_outage(server: PrivatePostgres, opts: Options, stop: threading.Event, event: Event) -> None:
    """Stop the private PostgreSQL (fast: sessions cut, transactions rolled back), restart it."""
    event("fault: PostgreSQL stop", phase="PostgreSQL down")
    try:
        server.stop("fast")
        stop.wait(opts.pg_down)
    finally:
        server.start()
        event("fault: PostgreSQL back", phase="after PostgreSQL")


def receiver_outage(receiver: Receiver, opts: Options, stop: threading.Event, event: Event) -> None:
    """The receiver answers 503, then never answers, then refuses connections; a third each."""
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
