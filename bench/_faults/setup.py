"""The environment of a fault run's processes, and its database's site."""

from __future__ import annotations

import os
from pathlib import Path

from bench._faults.options import SLUG, Options
from harness.procs import ROOT


def service_env(url: str, broker: str, logs: Path, opts: Options) -> dict[str, str]:
    """The environment of gunicorn, the workers and beat."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": broker,
        "REDIS_URL": broker,
        "MODERATION_SCORING": "celery",
        "MODERATION_SECRET_KEY": "faults-secret-key",
        "MODERATION_ALLOW_PRIVATE_CALLBACKS": "1",
        "MODERATION_RATE_LIMITS": "0",
        "MODERATION_LOG_LEVEL": "WARNING",
        "MODERATION_LOG_FORMAT": "json",
        "MODERATION_RULES_DIR": str(logs / "rules"),
        "MODERATION_MODELS_DIR": str(logs / "models"),
        "MODERATION_SWEEP_INTERVAL_SECONDS": "1",
        "MODERATION_SWEEP_AFTER_SECONDS": str(opts.sweep_after),
        "MODERATION_CALLBACK_TIMEOUT_SECONDS": "5",
        "MODERATION_CALLBACK_FIRST_RETRY_SECONDS": str(opts.callback_first_retry),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }


def create_site(env: dict[str, str], callback_url: str) -> str:
    """Migrate the run's database and create the site; return its secret."""
    from moderation.app import create_app
    from moderation.dbcli import upgrade
    from moderation.extensions import db
    from moderation.sites.service import add_site

    app = create_app(
        {
            "DATABASE_URL": env["DATABASE_URL"],
            "CELERY_BROKER_URL": env["CELERY_BROKER_URL"],
            "SECRET_KEY": env["MODERATION_SECRET_KEY"],
            "ALLOW_PRIVATE_CALLBACKS": True,
            "RULES_DIR": env["MODERATION_RULES_DIR"],
            "MODELS_DIR": env["MODERATION_MODELS_DIR"],
            "RATE_LIMITS_ENABLED": False,
            "LOG_LEVEL": "WARNING",
        }
    )
    with app.app_context():
        upgrade(env["DATABASE_URL"])
        secret = add_site(db.session, slug=SLUG, callback_url=callback_url)[1]
        db.session.commit()
        db.remove()
        db.engine.dispose()
    return secret
