"""Server-Timing: where a request spends its time, stage by stage, when asked for."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import Flask

from moderation.coral.service import set_coral_secret
from moderation.extensions import db
from moderation.sites.service import add_site
from tests.coral.test_phase import SECRET, Coral, request_body
from tests.helpers import make_app

PHASE = {"signature", "parse", "store", "ruleset", "claim", "language", "model", "rules", "apply"}


def _coral_app(tmp_path: Path, migrated_sqlite: Path, **settings: object) -> Flask:
    path = tmp_path / "db.sqlite"
    shutil.copy(migrated_sqlite, path)
    app = make_app(f"sqlite:///{path}", tmp_path, **settings)
    with app.app_context():
        site, _ = add_site(db.session, slug="demo", callback_url="http://127.0.0.1:9/cb")
        set_coral_secret(db.session, site=site, secret=SECRET)
        db.session.commit()
    return app


def stages(header: str) -> dict[str, float]:
    """``name;dur=ms, …`` as {name: ms}."""
    pairs = (item.strip().split(";dur=") for item in header.split(","))
    return {name: float(ms) for name, ms in pairs}


def test_each_stage_of_a_coral_phase_is_timed(tmp_path: Path, migrated_sqlite: Path) -> None:
    app = _coral_app(tmp_path, migrated_sqlite, SERVER_TIMING=True)
    answer = Coral(app).post(request_body("Merci pour cet article très clair."))
    assert answer.status_code == 200
    spent = stages(answer.headers["Server-Timing"])
    assert PHASE | {"commit", "cpu", "total"} <= set(spent)
    assert all(ms >= 0 for ms in spent.values())
    assert spent["total"] >= sum(spent[name] for name in PHASE)


def test_no_timings_unless_asked(tmp_path: Path, migrated_sqlite: Path) -> None:
    app = _coral_app(tmp_path, migrated_sqlite)
    answer = Coral(app).post(request_body("Merci pour cet article très clair."))
    assert answer.status_code == 200
    assert "Server-Timing" not in answer.headers
