"""Limits and back-pressure on real Redis: shared by every web process."""

from __future__ import annotations

import pytest
import redis

from moderation.extensions import db
from moderation.sites.service import add_site
from tests.helpers import SiteClient, make_app, payload

pytestmark = pytest.mark.integration


def _app(stack_env, tmp_path, **overrides):
    return make_app(
        stack_env["DATABASE_URL"],
        tmp_path,
        SCORING="celery",
        CELERY_BROKER_URL=stack_env["CELERY_BROKER_URL"],
        REDIS_URL=stack_env["REDIS_URL"],
        SECRET_KEY=stack_env["MODERATION_SECRET_KEY"],
        RULES_DIR=stack_env["MODERATION_RULES_DIR"],
        **overrides,
    )


def test_two_processes_share_one_site_allowance(pg_app, stack_env, tmp_path):
    _, secret = add_site(db.session, slug="demo", callback_url="http://127.0.0.1:9/cb")
    db.session.commit()
    limits = {"RATE_LIMITS_ENABLED": True, "RATE_LIMIT_SITE": "4/minute"}
    first, second = _app(stack_env, tmp_path, **limits), _app(stack_env, tmp_path, **limits)
    codes = []
    for i in range(6):
        web = first if i % 2 == 0 else second  # alternate, as a load balancer would
        with web.app_context():
            codes.append(
                SiteClient(web.test_client(), "demo", secret).post(payload(f"c-{i}")).status_code
            )
            db.remove()
    assert codes == [202, 202, 202, 202, 429, 429]
    for web in (first, second):
        with web.app_context():
            db.engine.dispose()


def test_backpressure_reads_the_broker_queue(pg_app, stack_env, tmp_path):
    _, secret = add_site(db.session, slug="demo", callback_url="http://127.0.0.1:9/cb")
    db.session.commit()
    broker = redis.Redis.from_url(stack_env["CELERY_BROKER_URL"])
    broker.rpush("moderation", *[b"{}"] * 5)  # a backlog of five tasks nobody consumes
    web = _app(stack_env, tmp_path, MAX_BACKLOG=3)
    with web.app_context():
        response = SiteClient(web.test_client(), "demo", secret).post(payload())
        db.remove()
        db.engine.dispose()
    broker.delete("moderation")
    assert response.status_code == 503 and response.json["error"]["code"] == "overloaded"


def test_processes_share_one_metrics_computation(pg_app, stack_env, tmp_path, monkeypatch):
    from moderation.stats import views

    calls = []
    real = views.stats
    monkeypatch.setattr(views, "stats", lambda *a, **k: calls.append(1) or real(*a, **k))
    redis.Redis.from_url(stack_env["REDIS_URL"]).delete(*_metrics_keys(stack_env))
    texts = []
    for _ in range(3):
        for web in (_app(stack_env, tmp_path), _app(stack_env, tmp_path)):  # as many processes
            with web.app_context():
                texts.append(web.test_client().get("/metrics").text)
                db.remove()
                db.engine.dispose()
    assert len(calls) == 1 and len(set(texts)) == 1
    assert "moderation_queue_depth" in texts[0]


def _metrics_keys(stack_env):
    return redis.Redis.from_url(stack_env["REDIS_URL"]).keys("moderation:metrics:*") or ["-"]


def test_processes_share_the_sign_in_backoff(pg_app, stack_env, tmp_path):
    from tests.console.conftest import csrf_of, make_moderator

    make_moderator("alice")
    limits = {"RATE_LIMITS_ENABLED": True, "LOGIN_FREE_FAILURES": 4}
    webs = [_app(stack_env, tmp_path, **limits), _app(stack_env, tmp_path, **limits)]
    codes = []
    for i in range(6):
        web = webs[i % 2]  # alternate, as a load balancer would
        with web.app_context():
            client = web.test_client()
            token = csrf_of(client.get("/console/login").get_data(as_text=True))
            form = {"name": "alice", "password": "wrong", "csrf_token": token}
            codes.append(client.post("/console/login", data=form).status_code)
            db.remove()
    assert codes == [401] * 4 + [429] * 2
    for web in webs:
        with web.app_context():
            db.engine.dispose()
