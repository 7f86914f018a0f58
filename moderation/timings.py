"""Where a request spends its time, per stage, as a ``Server-Timing`` header (off by default).

With ``MODERATION_SERVER_TIMING=1`` every response carries the stages its request went
through (``Server-Timing: signature;dur=0.4, parse;dur=0.3, …, total;dur=21.0``), garbage
collections included (``gc0``/``gc1``/``gc2``: pauses of that generation inside the
request), and ``cpu``, the CPU the request's own thread used (``total`` less ``cpu`` is
waiting: for the database, the disk, a core). ``bench/compat`` reads them to show where
the slowest requests went; the time a request waited for a worker is the client's
latency less ``total``.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, Response, current_app, g, has_app_context

#: The app's ``SERVER_TIMING`` setting, read once: a stage costs one lookup when it is off.
_ENABLED = "server_timing"


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Time the block as stage ``name`` of the current request (no-op when off)."""
    spent = _spent()
    if spent is None:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        spent[name] = spent.get(name, 0.0) + (time.perf_counter() - started) * 1000


def _spent() -> dict[str, float] | None:
    if not has_app_context() or not current_app.extensions.get(_ENABLED):
        return None
    spent: dict[str, float] | None = g.get("stage_ms")
    return spent


def init_timings(app: Flask) -> None:
    """Record stages and collections of each request when ``SERVER_TIMING`` is on."""
    app.extensions[_ENABLED] = bool(app.config.get("SERVER_TIMING"))
    if not app.extensions[_ENABLED]:
        return
    app.before_request(_start)
    app.after_request(_header)
    _watch_collections()


def _start() -> None:
    g.stage_ms = {}
    g.stage_started = time.perf_counter(), time.thread_time()


def _header(response: Response) -> Response:
    spent: dict[str, float] | None = g.get("stage_ms")
    if spent is not None:
        wall, cpu = g.stage_started
        spent["cpu"] = (time.thread_time() - cpu) * 1000  # this thread's own CPU in the request
        spent["total"] = (time.perf_counter() - wall) * 1000
        response.headers["Server-Timing"] = ", ".join(
            f"{name};dur={ms:.2f}" for name, ms in spent.items()
        )
    return response


_collecting: dict[int, float] = {}


def _on_collection(phase: str, info: dict[str, Any]) -> None:
    generation = int(info.get("generation", 0))
    if phase == "start":
        _collecting[generation] = time.perf_counter()
        return
    started = _collecting.pop(generation, None)
    spent = _spent() if started is not None else None
    if spent is not None and started is not None:
        key = f"gc{generation}"
        spent[key] = spent.get(key, 0.0) + (time.perf_counter() - started) * 1000


def _watch_collections() -> None:
    if _on_collection not in gc.callbacks:
        gc.callbacks.append(_on_collection)
