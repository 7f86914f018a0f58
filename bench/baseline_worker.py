"""The worker baseline: a no-op Celery task under the service's own worker settings."""

import os
import time

import redis
from celery import Celery

from moderation.extensions import celery_settings

BROKER = os.environ["CELERY_BROKER_URL"]
app = Celery("baseline")
app.conf.update(celery_settings({"CELERY_BROKER_URL": BROKER, "SWEEP_INTERVAL_SECONDS": 3600}))
app.conf.update(include=[], task_default_queue="baseline", beat_schedule={})
_redis = redis.Redis.from_url(BROKER)


@app.task(name="baseline.noop")
def noop() -> None:
    """Do nothing but note when it ran (two Redis commands)."""
    now = time.time()
    _redis.setnx("bench:first", now)
    _redis.set("bench:last", now)
    _redis.incr("bench:done")
