"""Extension objects, created without an app and bound in ``create_app``."""

from __future__ import annotations

from celery import Celery, Task
from flask import Flask
from kombu import Queue
from sqlalchemy.exc import InterfaceError, OperationalError

from moderation.db import Database

db = Database()


def celery_init_app(app: Flask) -> Celery:
    """A Celery app whose tasks run inside the Flask app context (Flask's own pattern)."""

    class FlaskTask(Task):
        # Database outages are retried with backoff; the sweeper is the last resort.
        autoretry_for = (OperationalError, InterfaceError)
        retry_backoff = True
        retry_backoff_max = 60
        max_retries = 20

        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                try:
                    return self.run(*args, **kwargs)
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


def _transport_options(broker_url: str) -> dict[str, object]:
    # Each transport takes its own options (the SQLAlchemy one hands them to create_engine).
    if broker_url.startswith(("redis://", "rediss://")):
        return {"visibility_timeout": 3600, "socket_timeout": 5, "socket_connect_timeout": 2}
    return {}
