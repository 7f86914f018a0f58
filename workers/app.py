"""The worker's entry point: ``celery -A workers.app worker`` (Flask's Celery pattern)."""

from moderation.app import create_app

# No warm start: a worker scores in the background (its first task loads the model and
# rules), and the callbacks workers and beat never score; each would start seconds later.
flask_app = create_app({"WARM_START": False})
celery_app = flask_app.extensions["celery"]
