"""Claim and resolve: leases, conflicts, callbacks, author history, edits after moderation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from moderation.authors.models import Author
from moderation.extensions import db
from moderation.queue.models import ReviewItem
from tests.helpers import payload


def held(site, cid="c-1", **extra):
    response = site.post(payload(cid, body="Un argument douteux", **extra))
    assert response.status_code == 202
    return response


def test_held_comment_is_listed_with_everything_needed(site, alice):
    held(site)
    items = alice.page()["items"]
    assert len(items) == 1
    item = items[0]
    assert item["queue"] == "pending" and item["reasons"] == ["insult"] and item["claim"] is None
    decision = item["comment"]["decision"]
    assert decision["action"] == "review" and decision["rule"] == "doubtful"
    match = decision["rules"][0]["matches"][0]
    assert match["text"] == "douteux" and (match["start"], match["end"]) == (12, 19)
    assert item["author"]["id"] == "u-1" and item["author"]["approved_count"] == 0
    assert item["flags"] == []


def test_order_is_priority_then_age_with_cursor_paging(site, alice):
    held(site, "c-1")
    site.post(payload("c-2", body="Voir https://exemple.org"))  # links: priority 10
    held(site, "c-3")
    first = alice.page(limit=2)
    assert [i["comment"]["id"] for i in first["items"]] == ["c-2", "c-1"]
    second = alice.page(limit=2, cursor=first["next_cursor"])
    assert [i["comment"]["id"] for i in second["items"]] == ["c-3"]
    assert second["next_cursor"] is None


def test_filters(site, alice):
    held(site, "c-1", language="fr")
    site.post(
        payload("c-2", body="Voir https://exemple.org", author={"id": "u-2", "source": "google"})
    )
    assert [i["comment"]["id"] for i in alice.page(source="google")["items"]] == ["c-2"]
    assert [i["comment"]["id"] for i in alice.page(reason="insult")["items"]] == ["c-1"]
    assert len(alice.page(site="demo", article="a-1")["items"]) == 2
    assert alice.page(article="other")["items"] == []
    assert alice.get("/v1/queue", site="nope").status_code == 404
    assert alice.get("/v1/queue", queue="elsewhere").status_code == 400
    assert alice.get("/v1/queue", cursor="garbage!").status_code == 400


def test_claim_is_exclusive_and_expires(site, alice, bob):
    held(site)
    item_id = alice.page()["items"][0]["id"]
    claimed = alice.post(f"/v1/queue/{item_id}/claim")
    assert claimed.status_code == 200 and claimed.json["claimed_by"] == "alice"
    conflict = bob.post(f"/v1/queue/{item_id}/claim")
    assert conflict.status_code == 409 and "alice" in conflict.json["error"]["message"]
    assert bob.post(f"/v1/queue/{item_id}/release").status_code == 409
    assert bob.post(f"/v1/queue/{item_id}/resolve", {"action": "approve"}).status_code == 409
    assert alice.page()["items"][0]["claim"]["by"] == "alice"
    item = db.session.get(ReviewItem, item_id)
    item.claim_expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.session.commit()
    assert bob.post(f"/v1/queue/{item_id}/claim").json["claimed_by"] == "bob"


def test_release_and_admin_override(site, alice, bob, root):
    held(site)
    item_id = alice.page()["items"][0]["id"]
    alice.post(f"/v1/queue/{item_id}/claim")
    assert root.post(f"/v1/queue/{item_id}/release").status_code == 200
    assert bob.post(f"/v1/queue/{item_id}/claim").status_code == 200
    assert bob.post(f"/v1/queue/{item_id}/release").json["claimed_by"] is None


def test_resolve_updates_comment_author_callback_and_queue(site, alice, receiver):
    held(site)
    item_id = alice.page()["items"][0]["id"]
    alice.post(f"/v1/queue/{item_id}/claim")
    response = alice.post(
        f"/v1/queue/{item_id}/resolve",
        {"action": "reject", "reason": "insult", "note": "ad hominem"},
    )
    assert response.status_code == 200 and response.json["status"] == "resolved"
    record = site.get("c-1").json
    assert record["status"] == "rejected" and record["queue"] is None
    assert (
        record["decision"]["decided_by"] == "moderator:alice"
        and record["decision"]["note"] == "ad hominem"
    )
    assert record["decision"]["rules"][0]["id"] == "doubtful"  # the evidence stays
    callbacks = receiver.wait_for(2, timeout=5)
    assert [c["comment"]["status"] for c in callbacks] == ["queued", "rejected"]
    assert callbacks[-1]["comment"]["decided_by"] == "moderator:alice"
    author = db.session.scalar(select(Author))
    assert (author.approved_count, author.rejected_count) == (0, 1)
    assert alice.page()["items"] == []
    again = alice.post(f"/v1/queue/{item_id}/resolve", {"action": "approve"})
    assert again.status_code == 409 and "resolved" in again.json["error"]["message"]


def test_resolve_validates_the_reason(site, alice):
    held(site)
    item_id = alice.page()["items"][0]["id"]
    assert alice.post(f"/v1/queue/{item_id}/resolve", {"action": "reject"}).status_code == 400
    bad = alice.post(f"/v1/queue/{item_id}/resolve", {"action": "reject", "reason": "vibes"})
    assert bad.status_code == 400 and "reason" in bad.json["error"]["fields"]
    assert alice.post(f"/v1/queue/{item_id}/resolve", {"action": "maybe"}).status_code == 400
    assert alice.post("/v1/queue/999/resolve", {"action": "approve"}).status_code == 404
    ok = alice.post(f"/v1/queue/{item_id}/resolve", {"action": "reject", "reason": "links"})
    assert ok.status_code == 200  # a house-rule reason is a valid code too


def test_edit_after_moderation_is_scored_again_and_history_keeps_both(site, alice):
    held(site)
    item_id = alice.page()["items"][0]["id"]
    alice.post(f"/v1/queue/{item_id}/resolve", {"action": "reject", "reason": "insult"})
    assert site.post(payload(body="Version apaisée")).status_code == 202
    record = site.get("c-1").json
    assert record["revision"] == 2 and record["status"] == "approved"
    history = alice.get("/v1/comments/demo/c-1/history").json
    assert [(d["revision"], d["decided_by"], d["action"]) for d in history["decisions"]] == [
        (1, "auto", "review"),
        (1, "moderator:alice", "reject"),
        (2, "auto", "approve"),
    ]
    kinds = [e["kind"] for e in history["events"]]
    # "knowledge": the first time a moderator was shown it (loi 1982 art. 93-3).
    assert kinds == ["received", "decided", "knowledge", "decided", "revised", "decided"]
    assert all(c["attempts"] for c in history["callbacks"])
    assert history["events"][1]["ruleset_version"].startswith("sha256:")


def test_an_edit_withdraws_the_open_item(site, alice):
    held(site)
    item_id = alice.page()["items"][0]["id"]
    site.post(payload(body="Tout à fait correct"))
    assert alice.page()["items"] == []
    assert alice.post(f"/v1/queue/{item_id}/resolve", {"action": "approve"}).status_code == 409


def test_stats_and_metrics(site, alice, root):
    held(site, "c-1")
    held(site, "c-2")
    site.post(payload("c-3"))
    item_id = alice.page()["items"][0]["id"]
    alice.post(f"/v1/queue/{item_id}/resolve", {"action": "approve"})
    stats = root.get("/v1/stats").json
    assert stats["queue_depth"] == {"pending": 1, "reported": 0}
    counts = {(d["action"], d["reason"]): d["count"] for d in stats["decisions"]}
    assert counts == {("review", "insult"): 2, ("approve", None): 2}
    assert stats["time_to_decision_seconds"]["auto"]["count"] == 3
    assert stats["time_to_decision_seconds"]["moderator"]["count"] == 1
    assert stats["callbacks"]["delivered"] == 4 and stats["callbacks"]["failed"] == 0
    metrics = alice.client.get("/metrics")
    assert metrics.status_code == 200 and metrics.mimetype == "text/plain"
    assert 'moderation_queue_depth{queue="pending"} 1' in metrics.text
    assert 'moderation_callbacks{status="delivered"} 4' in metrics.text
