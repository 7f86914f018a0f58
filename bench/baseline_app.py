"""The intake baseline: a bare Flask endpoint that only enqueues a Celery task."""

import os

from celery import Celery
from flask import Flask, request

app = Flask(__name__)
celery = Celery("baseline", broker=os.environ["CELERY_BROKER_URL"])
celery.conf.task_ignore_result = True


@app.post("/v1/sites/<site>/comments")
def enqueue(site: str) -> tuple[dict[str, str], int]:
    """Enqueue the raw body by name and answer 202, as cheaply as Flask and Celery allow."""
    celery.send_task("baseline.noop", args=[site, request.get_data(as_text=True)], queue="baseline")
    return {"status": "queued"}, 202
