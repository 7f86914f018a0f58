"""The spot checks queue: its own listing, blind items, labels that confirm or overturn, export."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import select

from moderation.authors.models import Author
from moderation.comments.models import Decision
from moderation.extensions import db
from moderation.training.cli import model_cli
from tests.helpers import flag, make_regular, payload

# Words the repository's model scores and the "zut" rule hits: what must not leak.
RUDE_BUT_APPROVED = "Zut, quel idiot ce ministre"


def _spot_checks(moderator):
    return moderator.page(queue="spot_checks")["items"]


def test_spot_checks_are_their_own_queue_and_blind(site, alice):
    site.post(payload("c-1", body=RUDE_BUT_APPROVED))
    site.post(payload("c-2", body="Un argument douteux"))  # held: pending, not spot-checked
    record = site.get("c-1").json
    assert record["status"] == "approved"
    assert record["decision"]["rules"] and record["decision"]["scores"]  # there is evidence
    pending = alice.page()["items"]
    assert [i["comment"]["id"] for i in pending] == ["c-2"]
    assert alice.page(queue="reported")["items"] == []
    (item,) = _spot_checks(alice)
    assert (
        item["queue"] == "spot_checks"
        and item["blind"] is True
        and item["reasons"] == ["spot_checks"]
    )
    assert item["comment"]["body"] == RUDE_BUT_APPROVED
    assert item["author"] == {} and item["flags"] == []
    text = json.dumps(item)
    for leak in (
        "decision",
        "scores",
        "rules",
        "explanations",
        "mild",
        "model_version",
        "toxicity",
    ):
        assert leak not in text, leak


def test_confirming_keeps_the_approval_and_records_a_blind_label(site, alice, receiver):
    site.post(payload("c-1", body=RUDE_BUT_APPROVED))
    (item,) = _spot_checks(alice)
    answer = alice.post(f"/v1/queue/{item['id']}/resolve", {"action": "approve"})
    assert answer.status_code == 200 and answer.json["status"] == "resolved"
    assert answer.json["resolved_by"] == "alice"
    record = site.get("c-1").json
    assert record["status"] == "approved"
    label = record["decision"]
    assert label["decided_by"] == "moderator:alice" and label["spot_check"] is True
    assert label["blind"] is True and "scores" not in label and "rules" not in label
    assert label["sampled_model_version"].startswith("clf-")
    assert _spot_checks(alice) == []
    again = alice.post(f"/v1/queue/{item['id']}/resolve", {"action": "reject", "reason": "insult"})
    assert again.status_code == 409


def test_rejecting_overturns_the_approval(site, alice, receiver):
    site.post(payload("c-1", body=RUDE_BUT_APPROVED))
    (item,) = _spot_checks(alice)
    alice.post(f"/v1/queue/{item['id']}/claim")
    answer = alice.post(f"/v1/queue/{item['id']}/resolve", {"action": "reject", "reason": "insult"})
    assert answer.status_code == 200
    record = site.get("c-1").json
    assert record["status"] == "rejected" and record["decision"]["reason"] == "insult"
    callbacks = receiver.wait_for(2, timeout=5)
    assert [c["comment"]["status"] for c in callbacks] == ["approved", "rejected"]
    assert callbacks[-1]["comment"]["decided_by"] == "moderator:alice"
    statement = callbacks[-1]["statement"]  # a removal owes its statement of reasons
    # Found by a random sample, decided by a human: neither is automated (art. 17(3)(c)).
    assert statement["automated_detection"] == "No"
    assert statement["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    author = db.session.scalar(select(Author))
    assert (author.approved_count, author.rejected_count) == (0, 1)


def test_claims_on_spot_checks_are_exclusive(site, alice, bob):
    site.post(payload("c-1"))
    (item,) = _spot_checks(alice)
    assert alice.post(f"/v1/queue/{item['id']}/claim").status_code == 200
    taken = bob.post(f"/v1/queue/{item['id']}/resolve", {"action": "approve"})
    assert taken.status_code == 409


def test_reader_reports_take_a_spot_checked_comment_to_reported(site, alice, spot_checking):
    spot_checking.config["SPOT_CHECK_RATE"] = 0.0
    for reader in ("r1", "r2", "r3"):
        make_regular(site, reader)
    spot_checking.config["SPOT_CHECK_RATE"] = 1.0
    site.post(payload("c-1"))
    assert len(_spot_checks(alice)) == 1
    assert [flag(site, "c-1", reader).status_code for reader in ("r1", "r2", "r3")] == [201] * 3
    assert _spot_checks(alice) == []
    assert [i["comment"]["id"] for i in alice.page(queue="reported")["items"]] == ["c-1"]


def test_export_includes_spot_check_labels_only_with_spot_checks_only(site, alice, bob):
    site.post(payload("c-1", body=RUDE_BUT_APPROVED))
    site.post(payload("c-2", body="Un argument douteux"))
    (sampled,) = _spot_checks(alice)
    alice.post(f"/v1/queue/{sampled['id']}/resolve", {"action": "reject", "reason": "insult"})
    (held,) = bob.page()["items"]
    bob.post(f"/v1/queue/{held['id']}/resolve", {"action": "approve"})
    db.session.commit()
    rows = _export([])
    assert {r["id"]: r["spot_check"] for r in rows} == {"demo/c-1/1": True, "demo/c-2/1": False}
    spot_checks = _export(["--spot-checks-only"])
    assert [r["id"] for r in spot_checks] == ["demo/c-1/1"]
    assert spot_checks[0]["labels"] == {"toxicity": 1, "insult": 1}
    assert spot_checks[0]["saw_model_version"] is None  # blind: shown no model
    decided = db.session.scalars(select(Decision.decided_by).order_by(Decision.id)).all()
    assert decided.count("moderator:alice") == 1


def _export(args):
    result = CliRunner().invoke(model_cli, ["export-decisions", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]
