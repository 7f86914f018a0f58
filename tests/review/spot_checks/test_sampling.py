"""Spot check sampling: the rate holds, the pick is deterministic, and nothing is sampled twice."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from moderation.comments.models import Comment, CommentRevision, Decision, Event
from moderation.extensions import db
from moderation.queue.models import ReviewItem
from moderation.scoring.spot_checks import maybe_sample, sampled
from tests.helpers import payload, score_now


def test_rate_holds_and_the_pick_depends_only_on_id_and_salt():
    ids = range(1, 40_001)
    picked = [i for i in ids if sampled(i, 0.01, "s3cret")]
    # Binomial(40000, 0.01): mean 400, sd 19.9; six sd either side.
    assert 280 < len(picked) < 520
    assert picked == [i for i in ids if sampled(i, 0.01, "s3cret")]
    other = {i for i in ids if sampled(i, 0.01, "another salt")}
    assert len(other & set(picked)) < 30  # a different salt picks a different sample
    wider = {i for i in ids if sampled(i, 0.05, "s3cret")}
    assert set(picked) <= wider and 1700 < len(wider) < 2300  # raising the rate keeps picks
    assert not any(sampled(i, 0.0, "s3cret") for i in ids)
    assert all(sampled(i, 1.0, "s3cret") for i in range(1, 2000))


def _spot_checks() -> list[ReviewItem]:
    db.session.expire_all()
    return list(db.session.scalars(select(ReviewItem).where(ReviewItem.queue == "spot_checks")))


def test_pipeline_samples_exactly_the_hashed_approvals(site, app):
    app.config.update(SPOT_CHECK_RATE=0.2, SPOT_CHECK_SALT="pepper")
    for n in range(40):
        site.post(payload(f"c-{n}", body=f"Merci pour cet article numéro {n}"))
    revisions = db.session.scalars(select(CommentRevision)).all()
    expected = {r.comment_id for r in revisions if sampled(r.id, 0.2, "pepper")}
    assert 0 < len(expected) < 40
    items = _spot_checks()
    assert {i.comment_id for i in items} == expected
    assert all(i.status == "open" and i.reasons == ["spot_checks"] for i in items)
    # The approval stands: every comment is approved and the site was told so.
    statuses = set(db.session.scalars(select(Comment.status)))
    assert statuses == {"approved"}
    events = db.session.scalar(
        select(func.count()).select_from(Event).where(Event.kind == "spot_check_sampled")
    )
    assert events == len(expected)


def test_without_a_salt_the_secret_key_keys_the_pick(site, app):
    app.config.update(SPOT_CHECK_RATE=0.2, SPOT_CHECK_SALT="", SECRET_KEY="a-secret-key")
    for n in range(40):
        site.post(payload(f"k-{n}", body=f"Merci pour cet article numéro {n}"))
    revisions = db.session.scalars(select(CommentRevision)).all()
    expected = {r.comment_id for r in revisions if sampled(r.id, 0.2, "a-secret-key")}
    unsalted = {r.comment_id for r in revisions if sampled(r.id, 0.2, "")}
    assert expected != unsalted  # an empty salt would make the picks public
    assert {i.comment_id for i in _spot_checks()} == expected


def test_only_automatic_approvals_are_sampled(site, app, tmp_path):
    (tmp_path / "rules" / "house.yaml").write_text(
        "default: approve\nrules:\n  - id: d\n    if: {body: {words: [douteux]}}\n"
        "    then: review\n    reason: insult\n"
    )
    from tests.helpers import reconfigure

    reconfigure(app, SPOT_CHECK_RATE=1.0)
    site.post(payload("held", body="Un argument douteux"))
    site.post(payload("fine", body="Merci"))
    items = _spot_checks()
    assert [db.session.get_one(Comment, i.comment_id).external_id for i in items] == ["fine"]


def test_sampling_is_idempotent_under_redelivery(site, app):
    app.config.update(SPOT_CHECK_RATE=1.0)
    site.post(payload("c-1"))
    comment = db.session.scalar(select(Comment))
    revision = db.session.scalar(select(CommentRevision))
    decision = db.session.scalar(select(Decision))
    assert len(_spot_checks()) == 1
    score_now(comment.id, 1)  # a redelivered scoring task: nothing new
    assert maybe_sample(db.session, revision, decision) is False  # called again by hand
    db.session.commit()
    assert len(_spot_checks()) == 1
    # Once labelled, the revision is still spot-checked: a replay opens no second item.
    item = _spot_checks()[0]
    item.status = "resolved"
    db.session.commit()
    assert maybe_sample(db.session, revision, decision) is False
    # And the database refuses a second spot check for the revision whatever the code does.
    db.session.add(
        ReviewItem(
            comment_id=comment.id,
            revision=1,
            queue="spot_checks",
            site_id=comment.site_id,
            article_id="a-1",
            author_source="facebook",
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_new_revision_is_drawn_again_and_withdraws_the_old_spot_check(site, app):
    app.config.update(SPOT_CHECK_RATE=1.0)
    site.post(payload("c-1", body="Première version"))
    site.post(payload("c-1", body="Deuxième version"))
    items = sorted(_spot_checks(), key=lambda i: i.revision)
    assert [(i.revision, i.status) for i in items] == [(1, "withdrawn"), (2, "open")]
