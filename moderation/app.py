"""The Flask app factory: ``moderation.app:create_app()`` (the Procfile, gunicorn, the workers)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from moderation.audit.views import bp as audit
from moderation.callbacks.http import init_http
from moderation.classifier.service import init_models
from moderation.comments.views import bp as comments
from moderation.config import Config
from moderation.console.setup import register_console
from moderation.coral.views import bp as coral
from moderation.db import own_requests
from moderation.dsa.flag_views import bp as flags
from moderation.dsa.views import bp as dsa
from moderation.errors import register_error_handlers
from moderation.extensions import celery_init_app, celery_settings, db, init_redis
from moderation.heap import settle_heap
from moderation.jobs import init_jobs
from moderation.limits import init_limits
from moderation.logs import configure_logging
from moderation.numbers import AsciiIntConverter
from moderation.ops.views import bp as ops
from moderation.perspective.views import bp as perspective
from moderation.privacy.views import bp as privacy
from moderation.review.author_views import bp as authors
from moderation.review.views import bp as queue
from moderation.rules.store import init_rules
from moderation.rules.views import bp as rules
from moderation.scoring.engines import warm_engines
from moderation.stats.views import bp as stats
from moderation.timings import init_timings

#: Every HTTP area but the console; each view is a unit of work (the request owns the commit).
BLUEPRINTS = (
    ops,
    comments,
    flags,
    queue,
    authors,
    audit,
    rules,
    stats,
    perspective,
    coral,
    dsa,
    privacy,
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, process resources, blueprints, the unit of work, errors."""
    app = Flask("moderation")  # the app (and its logger) is named after the package
    register_config(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    settle_heap()  # last: everything built for the process stays out of full collections
    return app


def register_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Environment settings, then explicit overrides (tests, tools)."""
    app.config.update(Config().as_dict())
    app.config.update(overrides or {})
    app.config["CELERY"] = {**celery_settings(app.config), **app.config.get("CELERY_OVERRIDES", {})}
    app.json.sort_keys = False  # type: ignore[attr-defined]


def register_extensions(app: Flask) -> None:
    """Process resources, built once: database, Redis, limits, Celery, jobs, model, rules."""
    configure_logging(app)
    db.init_app(app)
    init_redis(app)
    init_limits(app)
    celery_init_app(app)
    init_jobs(app)
    init_http(app)
    models = init_models(app)
    init_rules(app, thresholds_provider=models.named_thresholds)
    init_timings(app)
    if app.config["WARM_START"]:
        warm_engines(app)  # before settle_heap: the loaded model and rules are frozen too


def register_blueprints(app: Flask) -> None:
    """Every HTTP area, then the console, then the request's unit of work."""
    app.url_map.converters["int"] = AsciiIntConverter  # before any rule is bound
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    register_console(app)  # before own_requests: console views are units of work too
    own_requests(app, db)
