"""Author standing and sanctions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from moderation.authors.models import Author
from moderation.extensions import db
from tests.helpers import payload


@pytest.mark.parametrize(
    ("kind", "status", "reason"),
    [("ban", "rejected", "banned"), ("premoderate", "queued", "premod")],
)
def test_sanctions_take_effect_on_the_next_comment(site, alice, kind, status, reason):
    site.post(payload("before"))
    response = alice.post(
        "/v1/authors/demo/facebook/u-1/sanctions", {"kind": kind, "reason": "règle 3"}
    )
    assert response.status_code == 201 and response.json["active"] is True
    site.post(payload("after"))
    record = site.get("after").json
    assert record["status"] == status and record["decision"]["reason"] == reason
    assert site.get("before").json["status"] == "approved"


def test_expired_sanctions_are_not_in_force(site, alice):
    from moderation.authors.models import Sanction

    site.post(payload("before"))
    until = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    assert (
        alice.post(
            "/v1/authors/demo/facebook/u-1/sanctions", {"kind": "ban", "until": until}
        ).status_code
        == 201
    )
    sanction = db.session.scalar(select(Sanction))
    sanction.until = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.session.commit()
    site.post(payload("after"))
    assert site.get("after").json["status"] == "approved"


def test_sanction_input_errors(site, alice):
    site.post(payload())
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat()
    assert (
        alice.post(
            "/v1/authors/demo/facebook/u-1/sanctions", {"kind": "ban", "until": past}
        ).status_code
        == 400
    )
    assert (
        alice.post("/v1/authors/demo/facebook/u-1/sanctions", {"kind": "exile"}).status_code == 400
    )
    assert (
        alice.post("/v1/authors/demo/facebook/nobody/sanctions", {"kind": "ban"}).status_code == 404
    )


def test_author_record(site, alice):
    for i in range(4):
        site.post(payload(f"c-{i}", body=f"Bon article {i}"))
    site.post(payload("held", body="Un avis douteux"))
    author = alice.get("/v1/authors/demo/facebook/u-1").json
    assert author["approved_count"] == 4 and author["rejected_count"] == 0
    assert author["counts"]["approved"] == 4 and author["counts"]["queued"] == 1
    assert author["trust"] == 1 and author["rejection_rate"] == 0.0
    assert author["sanctions"] == [] and author["sanction_history"] == []


def test_trust_levels():
    from moderation.authors.service import trust_level

    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    author = Author(
        approved_count=150,
        rejected_count=2,
        email_verified=True,
        account_created_at=old,
        first_seen_at=old,
    )
    assert trust_level(author) == 3
    author.email_verified = False
    assert trust_level(author) == 1  # an unverified e-mail caps trust
    author.email_verified, author.rejected_count = True, 100
    assert trust_level(author) == 0
    assert (
        trust_level(Author(approved_count=0, rejected_count=0, first_seen_at=old), ("trust",)) == 3
    )
