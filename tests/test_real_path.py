"""The real path: HTTP → PostgreSQL → Redis → a worker process → a signed callback."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from harness.procs import wait_until
from harness.stack import start_beat, start_worker
from moderation.comments.models import Comment, CommentRevision, Decision
from moderation.extensions import db
from moderation.signing import signature_headers
from moderation.sites.service import add_site
from tests.helpers import SiteClient, make_app, payload, sweep_now

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def count(model, *where):
    db.session.rollback()  # see other processes' commits
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_signed_comment_is_decided_by_a_worker_and_called_back(http_site, worker, receiver):
    response = http_site.post(payload())
    assert response.status_code == 202, response.text
    got = receiver.wait_for(1, timeout=30)
    assert got, "no callback reached the receiver"
    assert got[0]["comment"]["status"] == "approved" and got[0]["comment"]["decided_by"] == "auto"
    record = http_site.get("c-1").json()
    assert record["status"] == "approved"
    assert record["decision"]["decided_by"] == "auto"
    assert not receiver.rejected


def test_concurrent_identical_posts_store_one_comment(http_site):
    raw = json.dumps(payload()).encode()

    def post(_):
        headers = {
            "Content-Type": "application/json",
            **signature_headers(http_site.secret, "POST", "/v1/sites/demo/comments", raw),
        }
        return requests.post(
            http_site.client.base + "/v1/sites/demo/comments", data=raw, headers=headers, timeout=10
        ).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = sorted(pool.map(post, range(16)))
    assert codes.count(202) == 1 and codes.count(200) == 15, codes
    assert count(Comment) == 1 and count(CommentRevision) == 1


def test_worker_killed_mid_task_still_decides_every_comment_once(
    http_site, stack_env, tmp_path, receiver
):
    first = start_worker(stack_env, tmp_path / "w1.log", concurrency=1)
    total = 40
    for i in range(total):
        assert http_site.post(payload(f"k-{i}", body=f"Commentaire numéro {i}")).status_code == 202
    assert wait_until(lambda: count(Decision) >= 3, timeout=60), "the first worker decided nothing"
    first.kill()  # SIGKILL the whole worker: main process and its child, mid-stream
    second = start_worker(stack_env, tmp_path / "w2.log")
    try:
        # What the killed worker held unacknowledged is found by the sweeper (beat in production).
        def all_decided():
            sweep_now()
            return count(Comment, Comment.status == "approved") == total

        assert wait_until(all_decided, timeout=90, every=1.0)

        def all_called_back():
            sweep_now()
            return len({r["comment"]["id"] for r in receiver.received}) == total

        assert wait_until(all_called_back, timeout=60, every=1.0)
    finally:
        second.kill()
    per_revision = db.session.execute(
        select(Decision.comment_id, func.count()).group_by(Decision.comment_id, Decision.revision)
    ).all()
    assert len(per_revision) == total and all(n == 1 for _, n in per_revision)
    # One author, decisions made concurrently by two worker processes: no lost count.
    from moderation.authors.models import Author

    author = db.session.scalar(select(Author))
    assert (author.approved_count, author.rejected_count) == (total, 0)


def post_while_broker_is_down(stack_env, tmp_path, receiver):
    """Create the site, then post one comment through an app whose broker is unreachable."""
    _, secret = add_site(db.session, slug="demo", callback_url=receiver.url)
    db.session.commit()
    receiver.secrets.append(secret)
    dead = make_app(
        stack_env["DATABASE_URL"],
        tmp_path,
        SCORING="celery",
        CELERY_BROKER_URL="redis://127.0.0.1:1/0",
        SECRET_KEY=stack_env["MODERATION_SECRET_KEY"],
        RULES_DIR=stack_env["MODERATION_RULES_DIR"],
    )
    with dead.app_context():
        response = SiteClient(dead.test_client(), "demo", secret).post(payload())
        db.remove()
        db.engine.dispose()
    return response


def test_broker_down_at_intake_stores_and_answers_202(
    pg_app, stack_env, tmp_path, receiver, worker
):
    started = time.monotonic()
    response = post_while_broker_is_down(stack_env, tmp_path, receiver)
    assert response.status_code == 202 and time.monotonic() - started < 10
    assert count(Comment, Comment.status == "pending") == 1
    # The broker is back (the live app's): the sweeper finds the comment and a worker decides it.
    assert wait_until(
        lambda: sweep_now() is not None and count(Comment, Comment.status == "approved") == 1,
        timeout=60,
        every=1.0,
    )
    assert receiver.wait_for(1, timeout=30)


def test_readyz_checks_postgresql_and_redis(web):
    response = requests.get(web + "/readyz", timeout=10)
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


def test_beat_sweeps_a_comment_whose_message_was_lost(
    pg_app, stack_env, tmp_path, receiver, worker
):
    """The Procfile's beat process runs the sweeper: nothing stays pending for want of a message."""
    assert post_while_broker_is_down(stack_env, tmp_path, receiver).status_code == 202
    env = {**stack_env, "MODERATION_SWEEP_INTERVAL_SECONDS": "1"}
    beat = start_beat(env, tmp_path / "beat.log", tmp_path / "beat-schedule")
    try:
        assert wait_until(
            lambda: count(Comment, Comment.status == "approved") == 1, timeout=60, every=0.5
        )
        assert receiver.wait_for(1, timeout=30)
    finally:
        beat.kill()
