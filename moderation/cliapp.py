"""The small app of commands that need only the settings, the logs and the database.

``moderation sites ...`` runs in it: ``create_app`` imports and loads everything (the
model, the encoder, the rules, Celery, Redis, every blueprint), about 4 s for a command
that reads or writes one row. Here nothing of that is imported (``tests/test_cli.py``
checks it) and the same services run with the same checks and audit lines.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from moderation.config import Config
from moderation.db import db
from moderation.logs import configure_logging


def create_cli_app(config: dict[str, Any] | None = None) -> Flask:
    """Settings (environment, then ``config``), the package's logs and the database."""
    app = Flask("moderation")  # the same name: the same loggers, the same audit lines
    app.config.update(Config().as_dict())
    app.config.update(config or {})
    configure_logging(app)
    db.init_app(app)
    return app
