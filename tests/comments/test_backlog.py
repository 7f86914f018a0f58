"""Back-pressure: over the backlog limit, new comments get 503 before anything is stored."""

from __future__ import annotations

from sqlalchemy import func, select

from moderation.comments.models import Comment
from moderation.extensions import db
from tests.helpers import RecordingJobs, payload


def test_backpressure_refuses_before_storing(app, site):
    app.extensions["jobs"] = RecordingJobs()  # nothing gets scored: the backlog grows
    app.config["MAX_BACKLOG"] = 2
    for i in range(3):
        assert site.post(payload(f"c-{i}")).status_code == 202
        app.extensions.pop("backlog", None)  # skip the one-second cache
    refused = site.post(payload("c-4"))
    assert refused.status_code == 503
    assert refused.json["error"]["code"] == "overloaded" and refused.headers["Retry-After"] == "5"
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 3
    assert site.post(payload("c-1")).status_code in (200, 503)  # never a duplicate either way
