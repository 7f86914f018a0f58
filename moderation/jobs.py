"""Background jobs: the one place that sends work to a worker, by task name, after commit.

This module knows task names and the Celery app, nothing of the domain. Services say
*what* must happen (``jobs.score(session, comment_id, revision)``); the dispatcher
chosen by ``MODERATION_SCORING`` says *where*: ``celery`` sends the task to the broker,
``inline`` (tests, tools) runs the same registered task in this process. Either way the
work starts only once the caller's transaction has committed, and by id, never object.
Callback deliveries a transaction makes many of are grouped: one message per site.
"""

from __future__ import annotations

import logging
from typing import Protocol

from celery import Celery
from flask import Flask, current_app
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy.orm import Session

from moderation.db import on_commit, on_commit_batch

log = logging.getLogger(__name__)

SCORE = "workers.score_comment"
DELIVER = "workers.deliver_callback"
SWEEP = "workers.sweep"


class Dispatcher(Protocol):
    """Where background work runs."""

    def send(self, name: str, args: list[object], countdown: float | None = None) -> None:
        """Start task ``name`` with ``args`` (after ``countdown`` seconds)."""
        ...


class CeleryDispatcher:
    """Send tasks by name to the broker; a broker outage is logged, never raised.

    The caller's transaction is committed when this runs. If the broker is down the
    request still succeeds: the sweeper finds the work left undone and sends it again,
    so nothing accepted is lost.
    """

    def __init__(self, celery: Celery) -> None:
        self.celery = celery

    def send(self, name: str, args: list[object], countdown: float | None = None) -> None:
        """Publish one task message."""
        try:
            self.celery.send_task(name, args=args, countdown=countdown)
        except (BrokerError, OSError) as exc:
            log.warning(
                "broker unavailable, the sweeper will retry",
                extra={"task": name, "error": str(exc)},
            )
        except Exception:
            # Raising now would answer an error for work that is stored. Log loudly.
            log.exception("could not enqueue, the sweeper will retry", extra={"task": name})


class InlineDispatcher:
    """Run the registered task now, in this process, as a worker would (its own transaction)."""

    def __init__(self, celery: Celery) -> None:
        self.celery = celery
        self._imported = False

    def send(self, name: str, args: list[object], countdown: float | None = None) -> None:
        """Run the task eagerly; a delayed retry is left to the sweeper."""
        if countdown:
            return
        if not self._imported:  # the worker imports ``include`` at start; do as it does
            self.celery.loader.import_default_modules()
            self._imported = True
        result = self.celery.tasks[name].apply(args=args)
        if result.failed():
            log.error("inline task failed", extra={"task": name, "error": repr(result.result)})


def init_jobs(app: Flask) -> None:
    """Choose the dispatcher from ``SCORING``."""
    kind, celery = app.config["SCORING"], app.extensions["celery"]
    if kind == "inline":
        app.extensions["jobs"] = InlineDispatcher(celery)
    elif kind == "celery":
        app.extensions["jobs"] = CeleryDispatcher(celery)
    else:
        raise ValueError(f"MODERATION_SCORING must be 'celery' or 'inline', not {kind!r}")


def dispatcher() -> Dispatcher:
    """The current app's dispatcher."""
    jobs: Dispatcher = current_app.extensions["jobs"]
    return jobs


def send(name: str, *args: object, countdown: float | None = None) -> None:
    """Start a task now: only for callers outside any transaction (tests, tools)."""
    dispatcher().send(name, list(args), countdown)


def after_commit(
    session: Session, name: str, *args: object, countdown: float | None = None
) -> None:
    """Start a task once ``session``'s transaction commits (never if it rolls back)."""
    jobs = dispatcher()
    on_commit(session, lambda: jobs.send(name, list(args), countdown))


def score(session: Session, comment_id: int, revision: int) -> None:
    """Score and decide a revision after commit."""
    after_commit(session, SCORE, comment_id, revision)


def deliver(
    session: Session, delivery_id: str, countdown: float | None = None, *, group: object = None
) -> None:
    """Attempt a callback delivery after commit, in one task with the transaction's others.

    Deliveries of one ``group`` (the caller passes the site) and ``countdown`` leave in
    messages of up to ``CALLBACK_BATCH`` ids: one task, one lease, one kept-alive
    connection for the callbacks a scoring batch decided, instead of one task each.
    """
    jobs = dispatcher()
    size = max(1, int(current_app.config["CALLBACK_BATCH"]))

    def send(ids: list[object]) -> None:
        for start in range(0, len(ids), size):
            jobs.send(DELIVER, [ids[start : start + size]], countdown)

    on_commit_batch(session, (DELIVER, group, countdown), delivery_id, send)
