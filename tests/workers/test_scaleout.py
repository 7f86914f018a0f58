"""Scale-out: two scoring worker processes from the Procfile share the work, and nothing twice.

The Procfile's own lines (web, worker twice, callbacks, beat) run on a private
PostgreSQL and Redis started for the test; comments posted over HTTP by several
client threads are decided by both workers, each comment exactly once, and each
decision is called back exactly once with a valid signature.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from harness.procfile import ProcfileStack
from harness.procs import ROOT, free_port
from harness.receiver import Receiver
from harness.services import libpq, missing_tools, private_postgres, private_redis
from moderation.dbcli import upgrade
from moderation.extensions import db
from moderation.sites.service import add_site
from tests.helpers import HttpSite, make_app, payload, unavailable

pytestmark = [pytest.mark.integration, pytest.mark.slow]

COMMENTS = 60
SCORED = re.compile(r"Task workers\.score_comment\[[0-9a-f-]+\] succeeded")


def stack_env(database: str, broker: str, tmp_path: Path) -> dict[str, str]:
    """The Procfile's environment: one pool process per scoring worker, so both must work."""
    return {
        **os.environ,
        "DATABASE_URL": database,
        "CELERY_BROKER_URL": broker,
        "REDIS_URL": broker,
        "MODERATION_SECRET_KEY": "test-secret-key",  # make_app's: it encrypts the site secret
        "MODERATION_ALLOW_PRIVATE_CALLBACKS": "1",
        "MODERATION_RULES_DIR": str(tmp_path / "rules"),
        "MODERATION_MODELS_DIR": str(tmp_path / "models"),
        "MODERATION_LOG_LEVEL": "WARNING",
        "MODERATION_BEAT_SCHEDULE": str(tmp_path / "beat-schedule"),
        "PORT": str(free_port()),
        "WEB_CONCURRENCY": "1",
        "WORKER_CONCURRENCY": "1",
        "CALLBACK_CONCURRENCY": "2",
        "PYTHONPATH": str(ROOT),
    }


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[ProcfileStack, HttpSite, Receiver, str]]:
    """The Procfile's processes with two scoring workers; the ``demo`` site calls back to us."""
    reason = missing_tools()
    if reason:
        unavailable("private PostgreSQL and Redis", reason)
    with private_postgres() as pg, private_redis() as broker, Receiver() as receiver:
        url = pg.create_database("scaleout")
        upgrade(url)
        app = make_app(url, tmp_path)
        with app.app_context():
            secret = add_site(db.session, slug="demo", callback_url=receiver.url)[1]
            db.session.commit()
            db.remove()
            db.engine.dispose()
        receiver.secrets.append(secret)
        with ProcfileStack(stack_env(url, broker.url(), tmp_path), tmp_path) as procs:
            base = procs.start(scoring=2)
            yield procs, HttpSite(base, "demo", secret), receiver, url


def decisions_per_revision(url: str) -> list[int]:
    """How many decisions each decided comment revision has."""
    with psycopg.connect(libpq(url)) as conn:
        rows = conn.execute(
            "SELECT count(*) FROM decisions GROUP BY comment_id, revision"
        ).fetchall()
    return [int(n) for (n,) in rows]


@pytest.mark.timeout(240)
def test_two_scoring_workers_both_decide_and_nothing_is_decided_twice(two_workers):
    procs, site, receiver, url = two_workers
    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda i: site.post(payload(f"s-{i}")).status_code, range(COMMENTS)))
    assert codes == [202] * COMMENTS
    receiver.wait_for(COMMENTS, timeout=150)
    assert len(receiver.received) == COMMENTS, f"{len(receiver.received)} callbacks"
    assert not receiver.rejected and receiver.duplicates == 0
    assert sorted(receiver.by_comment) == sorted(f"s-{i}" for i in range(COMMENTS))
    assert all(len(calls) == 1 for calls in receiver.by_comment.values())
    assert decisions_per_revision(url) == [1] * COMMENTS
    # Both worker processes ran scoring tasks: the work is shared, not taken by one. A task
    # whose revision another's batch already decided finishes after that callback, so wait
    # for every message to be consumed (once each) before counting.
    deadline = time.monotonic() + 60
    while True:
        scored = [len(SCORED.findall(p.log_path.read_text())) for p in procs.scoring if p.log_path]
        if sum(scored) >= COMMENTS or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert len(scored) == 2 and all(n > 0 for n in scored), scored
    assert sum(scored) == COMMENTS, scored
