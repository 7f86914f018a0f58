"""Decision callbacks: signed, recorded, retried with backoff, only the newest reported."""

from __future__ import annotations

import datetime as dt
import socket

from sqlalchemy import select

from moderation.callbacks.models import Delivery, DeliveryAttempt
from moderation.callbacks.send import next_delay
from moderation.extensions import db
from moderation.signing import verify
from moderation.sites.models import Site
from moderation.sites.service import rotate_secret
from tests.helpers import deliver_now, payload


def only_delivery():
    return db.session.scalar(select(Delivery))


def test_callback_is_signed_and_recorded(site, receiver):
    site.post(payload())
    got = receiver.wait_for(1, timeout=5)[0]
    assert got["event"] == "comment.moderated" and "sent_at" in got
    assert got["delivery"] == only_delivery().id
    assert only_delivery().status == "delivered"
    attempt = db.session.scalar(select(DeliveryAttempt))
    assert attempt.status_code == 204 and attempt.error is None
    assert not receiver.rejected


def test_failed_callbacks_are_retried_with_backoff(site, receiver):
    answers = iter([500, 503])
    receiver.respond = lambda _body: next(answers, 204)
    site.post(payload())
    delivery = only_delivery()
    assert delivery.status == "pending" and delivery.attempts == 1
    due = delivery.next_attempt_at - dt.datetime.now(dt.UTC)
    assert dt.timedelta(seconds=5) < due < dt.timedelta(seconds=15)
    for _ in range(2):
        delivery.next_attempt_at = dt.datetime.now(dt.UTC)
        db.session.commit()
        deliver_now(delivery.id)
    assert delivery.status == "delivered" and delivery.attempts == 3
    codes = list(
        db.session.scalars(select(DeliveryAttempt.status_code).order_by(DeliveryAttempt.id))
    )
    assert codes == [500, 503, 204]
    assert len(receiver.received) == 1


def test_backoff_doubles_and_caps():
    assert 8 <= next_delay(1) <= 12 and 16 <= next_delay(2) <= 24
    assert next_delay(30) <= 3600 * 1.2


def test_gives_up_after_the_retry_window(app, site, receiver):
    receiver.respond = lambda _body: 500
    site.post(payload())
    delivery = only_delivery()
    delivery.created_at -= dt.timedelta(hours=26)
    delivery.next_attempt_at = dt.datetime.now(dt.UTC)
    db.session.commit()
    assert deliver_now(delivery.id) == "failed"


def test_a_newer_revision_supersedes_an_unsent_callback(site, receiver):
    receiver.respond = lambda body: 500 if body["comment"]["revision"] == 1 else 204
    site.post(payload(body="v1"))
    site.post(payload(body="v2"))
    statuses = {d.revision: d.status for d in db.session.scalars(select(Delivery))}
    assert statuses == {1: "superseded", 2: "delivered"}
    assert [r["comment"]["revision"] for r in receiver.received] == [2]


def test_during_rotation_callbacks_carry_both_signatures(site, receiver):
    _, new_secret, _ = rotate_secret(db.session, slug="demo")
    site.post(payload())
    got = receiver.wait_for(1, timeout=5)[0]
    timestamp = got["headers"]["X-Moderation-Timestamp"]
    values = got["headers"]["X-Moderation-Signature"].split(",")
    assert len(values) == 2
    for secret, value in zip((new_secret, site.secret), values, strict=True):
        verify(
            [secret],
            timestamp=timestamp,
            signature=value,
            method="POST",
            target="/callback",
            body=got["raw"],
        )


def test_private_callback_urls_are_refused_unless_allowed(app, site, receiver):
    app.config["ALLOW_PRIVATE_CALLBACKS"] = False
    site.post(payload())
    delivery = only_delivery()
    attempt = db.session.scalar(select(DeliveryAttempt))
    assert delivery.status == "pending" and "CallbackUrlError" in attempt.error
    assert not receiver.received


def test_a_callback_host_that_does_not_resolve_is_retried(app, site, receiver, monkeypatch):
    from moderation.sites.urls import CallbackHostUnresolved

    app.config["ALLOW_PRIVATE_CALLBACKS"] = False
    db.session.scalar(select(Site)).callback_url = "https://example.org/cb"
    db.session.commit()

    def fail(*_args, **_kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    site.post(payload())
    attempt = db.session.scalar(select(DeliveryAttempt))
    assert only_delivery().status == "pending"
    assert (
        attempt.error.startswith(CallbackHostUnresolved.__name__) and "example.org" in attempt.error
    )
