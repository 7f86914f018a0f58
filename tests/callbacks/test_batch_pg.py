"""Batched callbacks on PostgreSQL: one lease for many, each callback sent exactly once."""

from __future__ import annotations

import random

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from harness.receiver import Receiver
from moderation.callbacks.models import Delivery, DeliveryAttempt
from moderation.callbacks.send import claim_deliveries, send_deliveries
from moderation.comments.models import Comment
from moderation.extensions import db
from moderation.scoring.pipeline import decide_ready
from moderation.sites.service import add_site
from tests.helpers import SiteClient, in_threads, payload

pytestmark = pytest.mark.integration


def _decided(app: Flask, receiver: Receiver, count: int) -> list[str]:
    """``count`` comments decided in batches; their deliveries' ids (none sent yet)."""
    app.config["ALLOW_PRIVATE_CALLBACKS"] = True
    created, secret = add_site(db.session, slug="demo", callback_url=receiver.url)
    db.session.commit()
    receiver.secrets.append(secret)
    site = SiteClient(app.test_client(), created.slug, secret)
    for n in range(count):
        assert site.post(payload(f"c-{n}", body=f"Un avis poli numéro {n}")).status_code == 202
    for comment_id in db.session.scalars(select(Comment.id).order_by(Comment.id)).all():
        decide_ready(db.session, comment_id=comment_id, revision=1, extra=15)
        db.commit()
    return list(db.session.scalars(select(Delivery.id)))


def _deliver(ids: list[str]) -> None:
    """What the task does, without its after-commit retries."""
    deliveries = claim_deliveries(db.session, delivery_ids=ids)
    db.commit()
    send_deliveries(db.session, deliveries)
    db.commit()


def test_a_batch_of_callbacks_costs_a_few_statements(pg_app):
    with Receiver() as receiver:
        ids = _decided(pg_app, receiver, 16)
        statements: list[str] = []

        def count(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            _deliver(ids)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert len(receiver.deliveries) == 16
    # The lease, the site, the attempts, the deliveries' new status: not one set per callback.
    assert len(statements) <= 5, statements


def test_concurrent_workers_send_every_callback_exactly_once(pg_app):
    with Receiver() as receiver:
        ids = _decided(pg_app, receiver, 40)

        def work(seed: int) -> None:
            order = ids[:]
            random.Random(seed).shuffle(order)  # overlapping batches in different orders
            for start in range(0, len(order), 8):
                _deliver(order[start : start + 8])

        errors = in_threads(work, 4)
        assert not errors
        assert len(receiver.deliveries) == 40 and receiver.duplicates == 0
    db.session.expire_all()
    rows = db.session.execute(select(Delivery.status, Delivery.attempts)).all()
    assert {tuple(row) for row in rows} == {("delivered", 1)}
    assert db.session.scalar(select(func.count()).select_from(DeliveryAttempt)) == 40
