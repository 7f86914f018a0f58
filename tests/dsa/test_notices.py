"""Notices of illegal content (DSA art. 16)."""

from __future__ import annotations

from sqlalchemy import select

from moderation.comments.models import Event
from moderation.extensions import db
from moderation.flags.models import Flag
from tests.dsa.conftest import HELD, notice, signed
from tests.helpers import payload


def _flag(site, cid, reporter, reason="insult"):
    body = {"reporter": {"id": reporter, "source": "native"}, "reason": reason}
    return signed(site, "POST", f"/v1/sites/{site.slug}/comments/{cid}/flags", body)


def test_a_notice_without_its_required_fields_names_them(site, house):
    site.post(payload("c-1"))
    response = signed(
        site,
        "POST",
        "/v1/sites/demo/comments/c-1/flags",
        {"reporter": {"id": "r-1", "source": "native"}, "reason": "illegal"},
    )
    assert response.status_code == 400
    assert set(response.json["error"]["fields"]) == {
        "law",
        "explanation",
        "reporter.name",
        "reporter.email",
        "bona_fide",
    }
    assert db.session.scalar(select(Flag)) is None


def test_a_notice_needs_good_faith_and_a_real_email(site, house):
    site.post(payload("c-1"))
    response = notice(site, "c-1", bona_fide=False)
    assert response.status_code == 400 and "bona_fide" in response.json["error"]["fields"]
    bad = {"id": "r-1", "source": "native", "name": "X", "email": "pas-un-email"}
    response = notice(site, "c-1", reporter=bad)
    assert response.status_code == 400 and "reporter.email" in response.json["error"]["fields"]


def test_one_notice_opens_a_reported_item_ahead_of_reader_reports(site, alice, receiver):
    for cid in ("c-1", "c-2"):
        site.post(payload(cid, body=f"Un avis {cid}"))
    for n in range(6):  # enough weighted reports to open an item for c-1
        _flag(site, "c-1", f"reader-{n}")
    response = notice(site, "c-2")
    assert response.status_code == 201, response.json
    assert response.json["flag"]["law"] == "Loi du 29 juillet 1881, art. 24"
    items = alice.page(queue="reported")["items"]
    assert items[0]["comment"]["id"] == "c-2" and items[0]["reasons"][0] == "illegal"
    assert "email" not in str(items[0]["flags"])  # moderators see the claim, not the contact


def test_a_notice_records_knowledge_and_its_outcome_is_called_back(site, alice, receiver):
    site.post(payload("c-1", body="Un avis tranquille"))
    notice(site, "c-1")
    assert notice(site, "c-1").status_code == 200  # the same notice again: the first stands
    kinds = [e.kind for e in db.session.scalars(select(Event).order_by(Event.id))]
    assert kinds.count("knowledge") == 1 and "notice" in kinds
    item = alice.page(queue="reported")["items"][0]
    alice.post(f"/v1/queue/{item['id']}/resolve", {"action": "reject", "reason": "illegal"})
    callbacks = receiver.wait_for(3)
    decided = [c for c in callbacks if c["event"] == "notice.decided"]
    assert len(decided) == 1
    assert decided[0]["notice"]["outcome"] == "removed"
    assert decided[0]["notice"]["reporter"] == {"id": "r-9", "source": "native"}
    assert "marie@example.org" not in decided[0]["raw"].decode()


def test_a_notice_on_a_held_comment_moves_it_to_the_top_of_reported(site, alice):
    site.post(payload("c-1", body=HELD))
    assert notice(site, "c-1").status_code == 201
    assert alice.page()["items"] == []
    (item,) = alice.page(queue="reported")["items"]
    assert item["reasons"][:2] == ["illegal", "insult"]


def test_a_notice_on_a_deleted_comment_is_refused_and_changes_nothing(site, house):
    site.post(payload("c-1"))
    site.delete("c-1")
    response = notice(site, "c-1")
    assert response.status_code == 409
    assert response.json["error"]["code"] == "comment_deleted"
    assert db.session.scalar(select(Flag)) is None


def test_a_notice_on_a_removed_comment_is_answered_at_once(site, house, receiver):
    from tests.dsa.conftest import THREAT

    site.post(payload("c-1", body=THREAT))
    assert notice(site, "c-1").status_code == 201
    callbacks = receiver.wait_for(2)
    assert [c["event"] for c in callbacks] == ["comment.moderated", "notice.decided"]
    assert callbacks[1]["notice"]["outcome"] == "removed"


def test_a_notice_on_an_unknown_comment_is_404(site, house):
    assert notice(site, "nope").status_code == 404


def test_a_notice_on_a_comment_still_being_scored_is_routed_by_its_decision(app, site, alice):
    from tests.helpers import RecordingJobs, score_now

    held_back = RecordingJobs()
    app.extensions["jobs"] = held_back
    site.post(payload("c-1", body="Un avis pas encore lu"))
    assert notice(site, "c-1").status_code == 201
    assert alice.page(queue="reported")["items"] == []
    score_now(*held_back.scored[0])  # the automatic decision approves it...
    (item,) = alice.page(queue="reported")["items"]  # ...and the notice puts it in front
    assert item["comment"]["id"] == "c-1" and item["reasons"] == ["illegal"]
