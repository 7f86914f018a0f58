"""The Perspective-compatible API through gunicorn on PostgreSQL: doNotStore leaves no trace."""

from __future__ import annotations

import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy.engine import make_url

from harness.procs import ROOT
from harness.stack import start_web
from moderation.extensions import db
from moderation.perspective.keys import add_key
from moderation.sites.service import add_site

pytestmark = pytest.mark.integration
CORAL = (
    '{"comment":{"text":"%s"},"doNotStore":true,'
    '"requestedAttributes":{"TOXICITY":{}},"languages":["fr"]}'
)


@pytest.fixture
def scoring_web(stack_env: dict[str, str], tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """gunicorn with the repository's promoted model; yields its URL and its log file."""
    env = {**stack_env, "MODERATION_MODELS_DIR": str(ROOT / "models")}
    env["MODERATION_LOG_LEVEL"] = "DEBUG"
    log = tmp_path / "web.log"
    proc, base = start_web(env, log)
    yield base, log
    proc.kill(signal.SIGTERM)


def pg_dump(url: str) -> str:
    """The whole integration database as SQL."""
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    done = subprocess.run(
        [shutil.which("pg_dump") or "pg_dump", "--data-only", libpq],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout


def test_do_not_store_leaves_no_trace_in_postgres_or_the_logs(pg_app, stack_env, scoring_web):
    base, log = scoring_web
    add_site(db.session, slug="demo", callback_url="http://127.0.0.1:9/cb")
    key = add_key(db.session, slug="demo")
    db.session.commit()
    hidden, kept = "Zqxj-PG-MARQUEUR-1", "Kept-PG-MARQUEUR-2"
    url = f"{base}/v1alpha1/comments:analyze?key={key}"
    headers = {"Content-Type": "application/json", "User-Agent": "Coral Perspective/9.11.8"}
    answer = requests.post(
        url, data=(CORAL % f"Espèce de connard {hidden}").encode(), headers=headers, timeout=10
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"] > 0.5
    refused = requests.post(
        url, data=(CORAL % (hidden * 2000)).encode(), headers=headers, timeout=10
    )
    assert refused.json()["error"]["details"][0]["errorType"] == "COMMENT_TOO_LONG"
    stored = CORAL.replace('"doNotStore":true', '"doNotStore":false') % f"Merci {kept}"
    assert requests.post(url, data=stored.encode(), headers=headers, timeout=10).status_code == 200
    dump = pg_dump(stack_env["DATABASE_URL"])
    assert kept in dump  # the search does find what was kept
    assert hidden not in dump
    assert hidden not in log.read_text(encoding="utf-8", errors="replace")
