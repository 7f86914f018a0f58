"""Extension objects, created without an app and bound in ``create_app``."""

from __future__ import annotations

import logging

import redis
from celery import Celery, Task
from flask import Flask
from kombu.entity import Queue
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy.exc import InterfaceError, OperationalError

from moderation.db import db as db  # re-exported: where the app's modules find it
from moderation.exceptions import Stale

log = logging.getLogger(__name__)

#: Passing infrastructure faults: a task that meets one is retried with backoff (then the
#: sweeper), never turned into a decision. Engine failures are not among them.
INFRASTRUCTURE_ERRORS = (OperationalError, InterfaceError, redis.RedisError, BrokerError)


def celery_init_app(app: Flask) -> Celery:
    """A Celery app whose tasks run inside the Flask app context (Flask's own pattern)."""

    class FlaskTask(Task):
        """Owns the unit of work: one transaction per task, committed when the body returns."""

        autoretry_for = INFRASTRUCTURE_ERRORS
        retry_backoff = True
        retry_backoff_max = 60
        max_retries = 20

        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                try:
                    result = self.run(*args, **kwargs)
                    db.commit()
                    return result
                except Stale as exc:
                    # Another writer moved the row on first: this work has nothing to do.
                    log.info("task skipped: %s", exc, extra={"task": self.name})
                    return None
                finally:
                    db.remove()

    celery = Celery(app.name, task_cls=FlaskTask)
    celery.config_from_object(app.config["CELERY"])
    celery.set_default()
    app.extensions["celery"] = celery
    return celery


def celery_settings(config: dict[str, object]) -> dict[str, object]:
    """Celery settings derived from the app config."""
    return {
        "broker_url": config["CELERY_BROKER_URL"],
        "task_ignore_result": True,
        # A task is acknowledged only once done; a killed worker's task is redelivered.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_default_queue": "moderation",
        # Callbacks wait on sites' servers: their own queue, so a slow or hanging site
        # never holds the scoring workers (Procfile: separate worker and callbacks).
        # A worker started without -Q serves both (the embedded setup, tests).
        "task_queues": (Queue("moderation"), Queue("callbacks")),
        "task_routes": {"workers.deliver_callback": {"queue": "callbacks"}},
        "include": ["workers.tasks"],
        "broker_connection_retry_on_startup": True,
        # Intake must not hang on a dead broker: fail fast, the sweeper catches up.
        # (Publishing is bounded by the timeout and the publish retry policy below.)
        "broker_connection_timeout": 2,
        # Workers and beat reconnect for as long as the broker is away: with a bounded
        # number of retries a Redis restart of a few seconds made every worker exit.
        "broker_connection_max_retries": None,
        "task_publish_retry_policy": {
            "max_retries": 1,
            "interval_start": 0,
            "interval_step": 0.2,
            "interval_max": 0.2,
        },
        "broker_transport_options": _transport_options(str(config["CELERY_BROKER_URL"])),
        "beat_schedule": {
            "sweep": {"task": "workers.sweep", "schedule": config["SWEEP_INTERVAL_SECONDS"]},
        },
        "worker_hijack_root_logger": False,
    }


def init_redis(app: Flask) -> None:
    """Redis clients built once per app: ``redis`` (``REDIS_URL``) and ``broker_redis``."""
    url, broker = app.config["REDIS_URL"], str(app.config["CELERY_BROKER_URL"])
    app.extensions["redis"] = redis.Redis.from_url(url) if url else None
    # The backlog check reads the broker's queue length; it must answer fast or not at all.
    app.extensions["broker_redis"] = (
        redis.Redis.from_url(broker, socket_timeout=0.5, socket_connect_timeout=0.5)
        if broker.startswith(("redis://", "rediss://"))
        else None
    )


def _transport_options(broker_url: str) -> dict[str, object]:
    # Each transport takes its own options (the SQLAlchemy one hands them to create_engine).
    if broker_url.startswith(("redis://", "rediss://")):
        return {"visibility_timeout": 3600, "socket_timeout": 5, "socket_connect_timeout": 2}
    return {}
