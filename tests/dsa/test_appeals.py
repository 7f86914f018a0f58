"""Appeals (DSA art. 20): decided by another human; approve reverses, reject upholds."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from moderation.dsa.models import Appeal, Statement
from moderation.extensions import db
from tests.dsa.conftest import HELD, THREAT, appeal, notice
from tests.helpers import payload


def _rejected_by(site, moderator, cid="c-1"):
    site.post(payload(cid, body=HELD))
    item = moderator.page()["items"][0]
    moderator.post(f"/v1/queue/{item['id']}/resolve", {"action": "reject", "reason": "insult"})


def _appeal_item(moderator):
    (item,) = moderator.page(queue="appeals")["items"]
    return item


def test_an_appeal_reversed_publishes_the_comment(site, alice, bob, receiver):
    _rejected_by(site, alice)
    response = appeal(site, "c-1")
    assert response.status_code == 201, response.json
    assert response.json["appeal"]["role"] == "author"
    item = _appeal_item(bob)
    assert item["appeal"]["text"] == "Je conteste cette décision."
    assert item["appeal"]["role"] == "author"
    same = alice.post(f"/v1/queue/{item['id']}/resolve", {"action": "approve"})
    assert same.status_code == 403 and "another moderator" in same.json["error"]["message"]
    assert bob.post(f"/v1/queue/{item['id']}/resolve", {"action": "approve"}).status_code == 200
    assert site.get("c-1").json["status"] == "approved"
    events = [c["event"] for c in receiver.wait_for(4)]
    assert events == ["comment.moderated", "comment.moderated", "comment.moderated",
                      "appeal.decided"]  # fmt: skip
    decided = receiver.received[-1]
    assert decided["appeal"]["status"] == "reversed"
    assert receiver.received[-2]["comment"]["status"] == "approved"
    history = bob.get("/v1/comments/demo/c-1/history").json
    kinds = [e["kind"] for e in history["events"]]
    assert "appealed" in kinds and "appeal_decided" in kinds


def test_an_appeal_upheld_keeps_the_rejection(site, alice, bob, receiver):
    site.post(payload("c-1", body=THREAT))
    assert appeal(site, "c-1").status_code == 201
    item = _appeal_item(alice)  # an automatic decision: any moderator may decide
    body = {"action": "reject", "reason": "threat"}
    assert alice.post(f"/v1/queue/{item['id']}/resolve", body).status_code == 200
    assert site.get("c-1").json["status"] == "rejected"
    assert alice.page(queue="appeals")["items"] == []
    callbacks = receiver.wait_for(2)
    assert callbacks[-1]["event"] == "appeal.decided"
    assert callbacks[-1]["appeal"]["status"] == "upheld"
    assert db.session.scalar(select(Appeal.status)) == "upheld"
    again = alice.post(f"/v1/queue/{item['id']}/resolve", body)
    assert again.status_code == 409


def test_a_second_appeal_on_the_same_decision_is_refused(site, house):
    site.post(payload("c-1", body=THREAT))
    assert appeal(site, "c-1").status_code == 201
    response = appeal(site, "c-1")
    assert response.status_code == 409
    assert response.json["error"]["code"] == "already_appealed"
    assert len(list(db.session.scalars(select(Appeal)))) == 1


def test_an_appeal_after_the_window_is_refused(site, house):
    site.post(payload("c-1", body=THREAT))
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    db.session.execute(update(Statement).values(appeal_until=past))
    db.session.commit()
    response = appeal(site, "c-1")
    assert response.status_code == 409
    assert response.json["error"]["code"] == "appeal_window_closed"
    assert db.session.scalar(select(Appeal)) is None


def test_the_window_is_at_least_six_months(site, house):
    site.post(payload("c-1", body=THREAT))
    statement = db.session.scalar(select(Statement))
    assert statement.appeal_until - statement.created_at >= dt.timedelta(days=183)


def test_an_approved_comment_cannot_be_appealed(site, house):
    site.post(payload("c-1"))
    response = appeal(site, "c-1")
    assert response.status_code == 409
    assert response.json["error"]["code"] == "not_rejected"


def test_only_the_author_or_a_notifier_may_appeal(site, alice):
    site.post(payload("c-1", body="Un avis"))
    notice(site, "c-1")
    item = alice.page(queue="reported")["items"][0]
    alice.post(f"/v1/queue/{item['id']}/resolve", {"action": "reject", "reason": "illegal"})
    stranger = appeal(site, "c-1", author="someone", source="native")
    assert stranger.status_code == 403 and stranger.json["error"]["code"] == "not_a_party"
    notifier = appeal(site, "c-1", author="r-9", source="native")
    assert notifier.status_code == 201 and notifier.json["appeal"]["role"] == "notifier"


def test_bad_appeal_input_uses_the_error_shape(site, house):
    site.post(payload("c-1", body=THREAT))
    from tests.dsa.conftest import signed

    response = signed(site, "POST", "/v1/sites/demo/comments/c-1/appeals", {"text": ""})
    assert response.status_code == 400
    assert set(response.json["error"]["fields"]) == {"author", "text"}


def test_appeal_days_are_clamped_to_six_months(monkeypatch):
    from moderation.config import Config

    monkeypatch.setenv("MODERATION_APPEAL_DAYS", "20")
    assert Config().APPEAL_DAYS == 183
    monkeypatch.setenv("MODERATION_APPEAL_DAYS", "365")
    assert Config().APPEAL_DAYS == 365
