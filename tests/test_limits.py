"""Rate limits (429) and back-pressure (503), in the one error shape, losing nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from moderation.accounts.service import add_user
from moderation.comments.models import Comment
from moderation.extensions import db
from tests.helpers import payload


@pytest.fixture
def app(tmp_path, migrated_sqlite):
    """This module's app has its limits on: 3 comments a minute per site, 2 requests per client."""
    import shutil

    from tests.helpers import make_app

    shutil.copy(migrated_sqlite, tmp_path / "db.sqlite")
    application = make_app(
        f"sqlite:///{tmp_path}/db.sqlite",
        tmp_path,
        RATE_LIMITS_ENABLED=True,
        RATE_LIMIT_SITE="3/minute",
        RATE_LIMIT_CLIENT="2/minute",
    )
    with application.app_context():
        yield application
        db.remove()
        db.engine.dispose()


def test_sites_are_limited_once_signed(site):
    for i in range(10):  # unsigned traffic spends nothing of the site's allowance
        raw = json.dumps(payload(f"x-{i}")).encode()
        headers = {"Content-Type": "application/json"}
        assert (
            site.client.post("/v1/sites/demo/comments", data=raw, headers=headers).status_code
            == 401
        )
    assert [site.post(payload(f"c-{i}")).status_code for i in range(3)] == [202, 202, 202]
    refused = site.post(payload("c-4"))
    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 3


def test_moderator_routes_are_limited_per_client(app):
    _, token = add_user(db.session, name="alice", role="moderator")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    codes = [client.get("/v1/queue", headers=headers).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    refused = client.get("/v1/queue", headers=headers)
    assert refused.json["error"]["code"] == "rate_limited" and refused.headers["Retry-After"]
    assert [client.get("/healthz").status_code for _ in range(5)] == [200] * 5  # never limited
