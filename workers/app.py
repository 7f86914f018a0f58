"""The worker's entry point: ``celery -A workers.app worker`` (Flask's Celery pattern)."""

from moderation.app import create_app

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
