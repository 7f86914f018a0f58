"""Reader reports weighted against brigades."""

from __future__ import annotations

from sqlalchemy import select

from moderation.authors.models import Author
from moderation.extensions import db
from moderation.flags.service import reporter_standing
from tests.helpers import RecordingJobs, flag, make_regular, payload, score_now


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
    before = reporter_standing(
        db.session, site_id=site_id, source="native", reporter_id="r1"
    ).weight
    for i in range(4):
        site.post(payload(f"fine-{i}", body="Voir https://exemple.org"))  # held: links
        flag(site, f"fine-{i}", "r1")
    for item in alice.page()["items"]:
        alice.post(f"/v1/queue/{item['id']}/resolve", {"action": "approve"})  # reports dismissed
    after = reporter_standing(db.session, site_id=site_id, source="native", reporter_id="r1").weight
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
