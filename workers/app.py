"""The worker's entry point: ``celery -A workers.app worker`` (Flask's Celery pattern)."""

from moderation import create_app

# IN_WORKER: first callback attempts run in the deciding task (scoring/seam.py).
flask_app = create_app({"IN_WORKER": True})
celery_app = flask_app.extensions["celery"]
