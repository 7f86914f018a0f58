"""The seam between the API and the work behind it: Celery or inline, by configuration.

Like Wikimedia ORES's scoring systems, callers only say *what* must happen
(score this revision, deliver this callback); the seam decides *where*.
Production uses Celery. ``inline`` runs the work in the calling process, for
tests and one-off tools.
"""

from __future__ import annotations

import logging
from typing import Protocol

from celery import Celery
from flask import Flask, current_app
from kombu.exceptions import OperationalError as BrokerError

log = logging.getLogger(__name__)

SCORE_TASK = "workers.score_comment"
DELIVER_TASK = "workers.deliver_callback"
SWEEP_TASK = "workers.sweep"


class Seam(Protocol):
    """Where background work runs."""

    def score(self, comment_id: int, revision: int) -> None:
        """Score and decide one comment revision."""
        ...

    def deliver(self, delivery_id: str, countdown: float | None = None) -> None:
        """Attempt one callback delivery."""
        ...


class CelerySeam:
    """Send tasks by name to the broker; a broker outage is logged, never raised.

    Intake has already committed the comment when this runs. If the broker is
    down the request still succeeds (202): the sweeper finds the comment left
    pending and enqueues it again, so nothing accepted is lost.
    """

    def __init__(self, celery: Celery) -> None:
        self.celery = celery

    def score(self, comment_id: int, revision: int) -> None:
        """Enqueue scoring; the task id names the revision for tracing."""
        self._send(SCORE_TASK, [comment_id, revision], task_id=f"score-{comment_id}-{revision}")

    def deliver(self, delivery_id: str, countdown: float | None = None) -> None:
        """Enqueue a delivery attempt (routed to the ``callbacks`` queue)."""
        self._send(DELIVER_TASK, [delivery_id], countdown=countdown)

    def _send(self, name: str, args: list[object], **options: object) -> None:
        try:
            self.celery.send_task(name, args=args, **options)
        except (BrokerError, OSError) as exc:
            log.warning(
                "broker unavailable, the sweeper will retry",
                extra={"task": name, "error": str(exc)},
            )
        except Exception:
            # The caller's transaction is committed: raising now would answer an
            # error for work that is stored. Log loudly; the sweeper re-sends.
            log.exception("could not enqueue, the sweeper will retry", extra={"task": name})


class InlineSeam:
    """Run the work now, in this process."""

    def score(self, comment_id: int, revision: int) -> None:
        """Decide the revision immediately."""
        from moderation.scoring.pipeline import decide_comment

        decide_comment(comment_id=comment_id, revision=revision)

    def deliver(self, delivery_id: str, countdown: float | None = None) -> None:
        """Deliver immediately; later retries wait for the sweeper."""
        from moderation.callbacks.service import attempt_delivery
        from moderation.extensions import db

        if countdown:
            return
        attempt_delivery(db.session, delivery_id=delivery_id)


def init_seam(app: Flask) -> None:
    """Choose the seam from ``SCORING``."""
    kind = app.config["SCORING"]
    if kind == "inline":
        app.extensions["seam"] = InlineSeam()
    elif kind == "celery":
        app.extensions["seam"] = CelerySeam(app.extensions["celery"])
    else:
        raise ValueError(f"MODERATION_SCORING must be 'celery' or 'inline', not {kind!r}")


def seam() -> Seam:
    """The current app's seam."""
    return current_app.extensions["seam"]
