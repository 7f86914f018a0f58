"""Reader reports weighted against brigades; author standing and sanctions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from moderation.authors.models import Author
from moderation.extensions import db
from moderation.flags.service import reporter_weight
from tests.helpers import RecordingJobs, SiteClient, payload, score_now


def flag(site: SiteClient, cid: str, reporter: str, source: str = "native", reason: str = "insult"):
    path = f"/v1/sites/{site.slug}/comments/{cid}/flags"
    body = {"reporter": {"id": reporter, "source": source}, "reason": reason}
    import json

    from moderation.signing import signature_headers

    raw = json.dumps(body).encode()
    headers = {
        "Content-Type": "application/json",
        **signature_headers(site.secret, "POST", path, raw),
    }
    return site.client.post(path, data=raw, headers=headers)


def make_regular(site: SiteClient, reporter: str, approved: int = 3) -> None:
    """A reader with a history of approved comments (trust 1), verified e-mail."""
    for i in range(approved):
        author = {"id": reporter, "source": "native", "email_verified": True}
        site.post(payload(f"{reporter}-{i}", body=f"Bon article {i}", author=author))


def test_regular_readers_send_a_published_comment_to_reported(site, alice):
    site.post(payload("target"))
    for reader in ("r1", "r2", "r3"):
        make_regular(site, reader)
    responses = [flag(site, "target", reader) for reader in ("r1", "r2", "r3")]
    assert [r.status_code for r in responses] == [201, 201, 201]
    assert responses[-1].json["flags_weight"] >= 3
    record = site.get("target").json
    assert record["status"] == "approved" and record["queue"] == "reported"
    items = alice.page(queue="reported")["items"]
    assert [i["comment"]["id"] for i in items] == ["target"]
    assert len(items[0]["flags"]) == 3 and items[0]["reasons"] == ["insult"]


def test_a_brigade_of_new_accounts_cannot_pull_a_comment(site, alice):
    site.post(payload("target"))
    for i in range(40):
        assert flag(site, "target", f"sock-{i}", source="twitter").status_code == 201
    response = flag(site, "target", "sock-last", source="twitter")
    assert response.json["flags_weight"] <= 1.0
    assert site.get("target").json["queue"] is None
    assert alice.page(queue="reported")["items"] == []


def test_one_report_per_reporter(site):
    site.post(payload("target"))
    first = flag(site, "target", "r1")
    again = flag(site, "target", "r1", reason="spam")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["flag"]["reason"] == "insult"
    assert again.json["flags_weight"] == first.json["flags_weight"]


def test_flag_input_errors(site):
    site.post(payload("target"))
    assert flag(site, "missing", "r1").status_code == 404
    assert flag(site, "target", "r1", reason="boring").status_code == 400
    assert flag(site, "target", "", reason="spam").status_code == 400


def test_reporters_who_were_wrong_weigh_less(app, site, alice):
    make_regular(site, "r1")
    site_id = db.session.scalar(select(Author.site_id))
    before, _ = reporter_weight(db.session, site_id=site_id, source="native", reporter_id="r1")
    for i in range(4):
        site.post(payload(f"fine-{i}", body="Voir https://exemple.org"))  # held: links
        flag(site, f"fine-{i}", "r1")
    for item in alice.page()["items"]:
        alice.post(f"/v1/queue/{item['id']}/resolve", {"action": "approve"})  # reports dismissed
    after, _ = reporter_weight(db.session, site_id=site_id, source="native", reporter_id="r1")
    assert after < before / 2


def test_weighted_reports_feed_the_history_flags_rule(app, house, site):
    held = app.extensions["jobs"] = RecordingJobs()
    for reader in ("r1", "r2", "r3"):
        make_regular(site, reader)
        for cid, rev in held.scored:
            score_now(cid, rev)
        held.scored.clear()
    site.post(payload("target"))
    for reader in ("r1", "r2", "r3"):
        flag(site, "target", reader)
    score_now(held.scored[0][0], 1)
    record = site.get("target").json
    assert record["status"] == "queued" and record["decision"]["rule"] == "reader-reports"


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
