"""The Celery entry point of the fault-injection harness (``bench/faults``): ``workers.app``.

The production worker app itself, with one setting changed: the first callback
retry comes after ``FAULTS_CALLBACK_FIRST_RETRY_SECONDS`` instead of 10 s, so a
receiver outage of a few seconds is caught up within the run rather than after
the production backoff (10 s, 20 s, 40 s...). Once ``moderation/config.py`` reads
``MODERATION_CALLBACK_FIRST_RETRY_SECONDS`` the harness can use ``workers.app``.
"""

from __future__ import annotations

import os

from workers.app import celery_app, flask_app

if os.environ.get("FAULTS_CALLBACK_FIRST_RETRY_SECONDS"):
    # Read when each delivery attempt is recorded (callbacks/service.py).
    flask_app.config["CALLBACK_FIRST_RETRY_SECONDS"] = float(
        os.environ["FAULTS_CALLBACK_FIRST_RETRY_SECONDS"]
    )

__all__ = ["celery_app", "flask_app"]
