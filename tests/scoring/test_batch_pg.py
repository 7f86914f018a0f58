"""Batched scoring on PostgreSQL: one commit for many decisions, each revision decided once."""

from __future__ import annotations

import threading
import time

import pytest
from flask import Flask
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from moderation.authors.models import Author
from moderation.callbacks.models import Delivery
from moderation.comments.models import Comment, Decision, Event
from moderation.extensions import db
from moderation.scoring.pipeline import decide_ready
from moderation.sites.service import add_site
from tests.helpers import SiteClient, in_threads, payload

pytestmark = pytest.mark.integration


def _post(app: Flask, count: int, authors: int = 3) -> list[int]:
    created, secret = add_site(db.session, slug="demo", callback_url="http://127.0.0.1:9/cb")
    db.session.commit()
    site = SiteClient(app.test_client(), created.slug, secret)
    for n in range(count):
        data = payload(f"c-{n}", body=f"Un avis poli numéro {n}")
        data["author"]["id"] = f"u-{n % authors}"
        assert site.post(data).status_code == 202
    return list(db.session.scalars(select(Comment.id).order_by(Comment.id)))


def _count(model: type) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_one_task_decides_its_revision_and_other_ready_ones_in_one_commit(pg_app):
    ids = _post(pg_app, 6)
    commits: list[int] = []

    def counted(_conn):
        commits.append(1)

    event.listen(db.engine, "commit", counted)
    try:
        decided = decide_ready(db.session, comment_id=ids[2], revision=1, extra=3)
        db.commit()
    finally:
        event.remove(db.engine, "commit", counted)
    assert len(commits) == 1
    # Its own revision first, then the oldest others.
    assert [d.comment_id for d in decided] == [ids[2], ids[0], ids[1], ids[3]]
    # A task whose revision was decided by another's batch still drains the rest.
    assert len(decide_ready(db.session, comment_id=ids[0], revision=1, extra=15)) == 2
    db.commit()
    for comment_id in ids:  # the messages still queued for them: no-ops
        assert decide_ready(db.session, comment_id=comment_id, revision=1, extra=15) == []
        db.commit()
    assert (_count(Decision), _count(Delivery), _count(Event)) == (6, 6, 6)
    counts = db.session.execute(select(func.sum(Author.approved_count))).scalar()
    assert counts == 6


def test_a_batch_costs_about_as_many_statements_as_one_comment(pg_app):
    ids = _post(pg_app, 20)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        decide_ready(db.session, comment_id=ids[0], revision=1)
        db.commit()
        one = len(statements)
        statements.clear()
        decide_ready(db.session, comment_id=ids[1], revision=1, extra=15)
        db.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert one <= 6, statements
    # Per batch: 2 claims, then one of each: the compare-and-sets, the authors' counters,
    # the decisions, the events, the callbacks.
    assert len(statements) <= 7, statements
    db.session.expire_all()
    decided = db.session.scalars(select(Comment).where(Comment.id.in_(ids[1:17]))).all()
    assert {(c.status, c.language, c.decided_at is not None) for c in decided} == {
        ("approved", "fr", True)
    }
    assert db.session.scalar(select(func.count()).where(Comment.status == "pending")) == 3


def test_concurrent_batches_decide_every_revision_exactly_once(pg_app):
    ids = _post(pg_app, 60, authors=4)

    def work(offset: int) -> None:
        for comment_id in ids[offset::4]:
            for _attempt in range(5):  # a lock conflict is retried, as the task would
                try:
                    decide_ready(db.session, comment_id=comment_id, revision=1, extra=7)
                    db.commit()
                    break
                except OperationalError:
                    db.rollback()

    errors = in_threads(work, 4)
    assert not errors
    db.session.rollback()
    assert _count(Decision) == 60
    per_revision = select(Decision.comment_id).group_by(Decision.comment_id)
    assert len(db.session.execute(per_revision.having(func.count() > 1)).all()) == 0
    assert _count(Delivery) == 60
    assert db.session.scalar(select(func.sum(Author.approved_count))) == 60
    pending = select(func.count()).where(Comment.status == "pending")
    assert db.session.scalar(pending) == 0


def test_a_batching_task_skips_its_revision_while_another_batch_holds_it(pg_app):
    ids = _post(pg_app, 8, authors=8)  # a shared author's counters would serialize them
    holding, release = threading.Event(), threading.Event()

    errors: list[BaseException] = []

    def first_batch() -> None:
        with pg_app.app_context():
            try:
                decide_ready(db.session, comment_id=ids[0], revision=1, extra=3)  # ids 0-3
                holding.set()
                release.wait(30)
                db.commit()
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                db.remove()

    thread = threading.Thread(target=first_batch)
    thread.start()
    assert holding.wait(30)
    try:
        # Its own revision is in the other batch: not waited for; it drains the rest.
        started = time.monotonic()
        decided = decide_ready(db.session, comment_id=ids[1], revision=1, extra=15)
        db.commit()
        assert time.monotonic() - started < 5
        assert sorted(d.comment_id for d in decided) == ids[4:]
    finally:
        release.set()
        thread.join(30)
    assert not errors
    assert _count(Decision) == 8
