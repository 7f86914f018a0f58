"""The sweeper re-enqueues what lost messages and outages left behind."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from moderation.comments.models import Comment
from moderation.extensions import db
from tests.helpers import RecordingJobs, payload, sweep_now


def test_sweeps_comments_left_pending_and_overdue_callbacks(app, site):
    held = app.extensions["jobs"] = RecordingJobs()
    site.post(payload("c-1"))
    site.post(payload("c-2"))
    assert sweep_now() == {"comments": 0, "deliveries": 0}  # just enqueued: leave them be
    comment = db.session.get(Comment, 1)
    comment.scoring_enqueued_at -= dt.timedelta(seconds=app.config["SWEEP_AFTER_SECONDS"] + 1)
    db.session.commit()
    held.scored.clear()
    assert sweep_now() == {"comments": 1, "deliveries": 0}
    assert held.scored == [(1, 1)]
    assert sweep_now() == {"comments": 0, "deliveries": 0}  # re-enqueued just now


def test_sweeper_catches_lost_deliveries(app, site, receiver):
    from moderation.callbacks.models import Delivery

    receiver.respond = lambda _body: 500
    site.post(payload())
    delivery = db.session.scalar(select(Delivery))
    delivery.next_attempt_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    db.session.commit()
    receiver.respond = lambda _body: 204
    app.extensions["jobs"] = held = RecordingJobs()
    assert sweep_now()["deliveries"] == 1
    assert held.delivered == [delivery.id]


def test_an_overdue_delivery_is_re_enqueued_once_per_grace_period(app, site, receiver):
    from moderation.callbacks.models import Delivery

    receiver.respond = lambda _body: 500
    site.post(payload())
    delivery = db.session.scalar(select(Delivery))
    delivery.next_attempt_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    db.session.commit()
    app.extensions["jobs"] = held = RecordingJobs()
    assert sweep_now()["deliveries"] == 1
    assert sweep_now()["deliveries"] == 0  # its message may still be waiting: not again yet
    assert held.delivered == [delivery.id]


def test_a_long_broker_queue_gets_only_a_small_top_up(app, site):
    import time

    from moderation.scoring.sweeper import MIN_BATCH

    app.extensions["jobs"] = held = RecordingJobs()
    for i in range(MIN_BATCH + 5):
        site.post(payload(f"c-{i}"))
    old = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=app.config["SWEEP_AFTER_SECONDS"] + 1)
    for comment in db.session.scalars(select(Comment)):
        comment.scoring_enqueued_at = old
    db.session.commit()
    held.scored.clear()
    app.config["CELERY_BROKER_URL"] = "redis://127.0.0.1:6379/15"
    app.extensions["backlog"] = (time.monotonic(), 2_000)  # the broker holds 2,000 messages
    assert sweep_now()["comments"] == MIN_BATCH
    assert len(held.scored) == MIN_BATCH
