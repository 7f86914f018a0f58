"""Callbacks a transaction writes leave in one task per site; a task leases its batch once."""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import select

import moderation.jobs as jobs
from moderation.callbacks.models import Delivery, DeliveryAttempt
from moderation.callbacks.send import LEASE_SPARE, claim_deliveries, send_deliveries
from moderation.extensions import db
from tests.helpers import RecordingJobs, payload, score_now, sweep_now


def _decided_in_one_batch(app, site, count: int) -> RecordingJobs:
    """``count`` comments decided by one scoring task; their callbacks held back."""
    app.config["SCORING_BATCH"] = 16  # the tests' default is one revision per task
    held = app.extensions["jobs"] = RecordingJobs()
    for n in range(count):
        site.post(payload(f"c-{n}", body=f"Un commentaire poli numéro {n}."))
    score_now(*held.scored[0])
    return held


def _run(app, ids: list[str]) -> None:
    """Run one delivery message as a worker would."""
    jobs.InlineDispatcher(app.extensions["celery"]).send(jobs.DELIVER, [ids])
    db.session.expire_all()


def _deliveries() -> list[Delivery]:
    return list(db.session.scalars(select(Delivery).order_by(Delivery.created_at)))


def test_a_scoring_batch_sends_its_callbacks_in_one_message(app, site, receiver):
    held = _decided_in_one_batch(app, site, 5)
    assert held.deliver_messages == 1 and len(held.delivered) == 5
    _run(app, held.delivered)
    assert len(receiver.wait_for(5, timeout=5)) == 5
    assert {(d.status, d.attempts) for d in _deliveries()} == {("delivered", 1)}
    assert db.session.query(DeliveryAttempt).count() == 5


def test_messages_hold_at_most_callback_batch_ids(app, site):
    app.config["CALLBACK_BATCH"] = 2
    held = _decided_in_one_batch(app, site, 5)
    assert held.deliver_messages == 3 and len(held.delivered) == 5


def test_callbacks_of_two_sites_leave_in_two_messages(app):
    held = app.extensions["jobs"] = RecordingJobs()
    for delivery_id, site_id in (("a-1", 1), ("b-1", 2), ("a-2", 1)):
        jobs.deliver(db.session, delivery_id, group=site_id)
    db.commit()
    assert held.deliver_messages == 2 and held.delivered == ["a-1", "a-2", "b-1"]


def test_callbacks_of_a_rolled_back_transaction_are_never_sent(app):
    held = app.extensions["jobs"] = RecordingJobs()
    jobs.deliver(db.session, "lost", group=1)
    db.rollback()
    jobs.deliver(db.session, "kept", group=1)
    db.commit()
    assert held.delivered == ["kept"]


def test_a_site_that_is_down_fails_once_and_the_rest_wait_with_it(app, site, receiver):
    held = _decided_in_one_batch(app, site, 4)
    receiver.close()  # connection refused
    held.delivered.clear()
    _run(app, [d.id for d in _deliveries()])
    first, *rest = _deliveries()
    assert first.attempts == 1 and first.status == "pending"
    assert db.session.query(DeliveryAttempt).count() == 1  # one refused POST, not four
    assert {(d.attempts, d.next_attempt_at) for d in rest} == {(0, first.next_attempt_at)}
    assert sorted(held.delivered) == sorted(d.id for d in _deliveries())  # one retry message
    assert held.deliver_messages == 2  # the decision's, and the retry's


def test_a_callback_the_site_refuses_does_not_hold_back_the_others(app, site, receiver):
    held = _decided_in_one_batch(app, site, 3)
    refused = held.delivered[0]
    receiver.respond = lambda data: 400 if data["delivery"] == refused else 204
    _run(app, held.delivered)
    statuses = {d.id: (d.status, d.attempts) for d in _deliveries()}
    assert statuses.pop(refused) == ("pending", 1)  # retried later on its own
    assert set(statuses.values()) == {("delivered", 1)}


def test_a_batch_leases_only_due_pending_deliveries(app, site, receiver):
    held = _decided_in_one_batch(app, site, 3)
    done, later, due = _deliveries()
    done.status = "delivered"
    later.next_attempt_at = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    db.session.commit()
    claimed = claim_deliveries(db.session, delivery_ids=held.delivered)
    assert [d.id for d in claimed] == [due.id]
    lease = due.next_attempt_at - dt.datetime.now(dt.UTC)  # one POST's, whatever the batch
    assert lease <= dt.timedelta(seconds=app.config["CALLBACK_TIMEOUT_SECONDS"] + LEASE_SPARE)
    db.session.rollback()


def test_a_batch_gives_back_what_its_lease_has_no_time_left_for(app, site, receiver):
    held = _decided_in_one_batch(app, site, 3)
    claimed = claim_deliveries(db.session, delivery_ids=held.delivered)
    db.commit()
    held.delivered.clear()
    send_deliveries(db.session, claimed, leased_at=time.monotonic() - LEASE_SPARE - 1)
    db.commit()
    assert not receiver.received
    assert {(d.status, d.attempts) for d in _deliveries()} == {("pending", 0)}
    assert held.deliver_messages == 2 and len(held.delivered) == 3  # sent again at once


def test_the_sweeper_re_enqueues_overdue_callbacks_by_site(app, site, receiver):
    _decided_in_one_batch(app, site, 3)
    for delivery in _deliveries():
        delivery.next_attempt_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    db.session.commit()
    held = app.extensions["jobs"] = RecordingJobs()
    assert sweep_now()["deliveries"] == 3
    assert held.deliver_messages == 1 and len(held.delivered) == 3


def test_an_id_alone_is_still_a_message_workers_take(app, site, receiver):
    held = _decided_in_one_batch(app, site, 1)
    jobs.InlineDispatcher(app.extensions["celery"]).send(jobs.DELIVER, [held.delivered[0]])
    db.session.expire_all()
    assert _deliveries()[0].status == "delivered"
