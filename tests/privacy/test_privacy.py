"""Personal data: identifiers kept for a year, an author's export and erasure, clean logs."""

from __future__ import annotations

import datetime as dt
import json
import logging

from sqlalchemy import select, update

from moderation.authors.models import Author
from moderation.comments.models import CommentRevision, Decision, Event
from moderation.dsa.models import Statement
from moderation.extensions import db
from moderation.flags.models import Flag
from moderation.privacy.cli import authors_cli
from moderation.privacy.models import PrivacyRequest
from tests.dsa.conftest import HELD, THREAT, appeal, notice
from tests.helpers import payload, sweep_now

MARKER = "Zorglub-7f3a"
NAME, EMAIL, IP = "Jeanne Testeuse", "jeanne.testeuse@example.org", "198.51.100.77"


def _personal(cid="c-1", body=f"{THREAT} {MARKER}"):
    author = {"id": "u-1", "source": "facebook", "name": NAME, "email": EMAIL}
    return payload(cid, body=body, author=author, ip=IP, user_agent="Mozilla/5.0 Test")


def test_the_sweeper_erases_identifiers_after_the_retention_period(site, house):
    site.post(payload("old", ip=IP, user_agent="Mozilla/5.0 Old"))
    site.post(payload("new", ip="192.0.2.1", user_agent="Mozilla/5.0 New"))
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=366)
    db.session.execute(update(CommentRevision).where(CommentRevision.id == 1).values(
        received_at=old))  # fmt: skip
    db.session.commit()
    sweep_now()
    db.session.expire_all()
    first, second = db.session.scalars(select(CommentRevision).order_by(CommentRevision.id))
    assert "ip" not in first.payload and "user_agent" not in first.payload
    assert first.identifiers_erased_at is not None and first.payload["body"]
    assert second.payload["ip"] == "192.0.2.1" and second.identifiers_erased_at is None


def test_an_authors_export_holds_everything_about_them(app, site, alice):
    site.post(_personal())
    site.post(_personal("c-2", body=HELD))
    appeal(site, "c-1")
    site.post(payload("other", author={"id": "u-2", "source": "native"}))
    notice(site, "other", reporter={"id": "u-1", "source": "facebook", "name": NAME,
                                    "email": EMAIL})  # fmt: skip
    alice.post("/v1/authors/demo/facebook/u-1/sanctions", {"kind": "suspend", "reason": "spam"})
    result = app.test_cli_runner().invoke(authors_cli, ["export", "demo", "facebook", "u-1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["author"]["name"] == NAME
    assert [c["id"] for c in data["comments"]] == ["c-1", "c-2"]
    assert data["comments"][0]["revisions"][0]["payload"]["ip"] == IP
    assert data["comments"][0]["decisions"][0]["status"] == "rejected"
    assert {s["decision_visibility"][0] if "decision_visibility" in s else s["decision_account"]
            for s in data["statements"]} == {"DECISION_VISIBILITY_CONTENT_REMOVED",
                                             "DECISION_ACCOUNT_SUSPENDED"}  # fmt: skip
    assert data["sanctions"][0]["kind"] == "suspend"
    assert data["reports_made"][0]["email"] == EMAIL
    assert data["appeals"][0]["text"]
    assert db.session.scalar(select(PrivacyRequest.kind)) == "export"


def test_an_unknown_author_is_a_clear_cli_error(app, site, house):
    result = app.test_cli_runner().invoke(authors_cli, ["erase", "demo", "native", "nobody"])
    assert result.exit_code == 1 and "No author native/nobody" in result.output


def test_erasure_leaves_tombstones_and_keeps_decisions(app, site, alice, root):
    site.post(_personal())
    site.post(payload("other", author={"id": "u-2", "source": "native"}))
    notice(site, "other", reporter={"id": "u-1", "source": "facebook", "name": NAME,
                                    "email": EMAIL}, note=f"cf. {MARKER}")  # fmt: skip
    appeal(site, "c-1")
    refused = alice.client.delete("/v1/authors/demo/facebook/u-1",
                                  headers={"Authorization": f"Bearer {alice.token}"})  # fmt: skip
    assert refused.status_code == 403
    response = root.client.delete("/v1/authors/demo/facebook/u-1",
                                  headers={"Authorization": f"Bearer {root.token}"})  # fmt: skip
    assert response.status_code == 200, response.json
    assert response.json["erased"]["comments"] == 1
    db.session.expire_all()
    everything = json.dumps(
        [r.payload for r in db.session.scalars(select(CommentRevision))]
        + [r.body_text for r in db.session.scalars(select(CommentRevision))]
        + [d.record for d in db.session.scalars(select(Decision))]
        + [(f.note, f.notifier_name, f.notifier_email, f.reporter_id, f.explanation)
           for f in db.session.scalars(select(Flag))]
        + [(e.actor, e.data) for e in db.session.scalars(select(Event))]
        + [a.name for a in db.session.scalars(select(Author))],
        ensure_ascii=False,
    )  # fmt: skip
    for personal in (NAME, EMAIL, IP, MARKER, "buter"):
        assert personal not in everything, personal
    assert db.session.scalar(select(Decision.status).where(Decision.comment_id == 1)) == "rejected"
    assert db.session.scalar(select(Statement.puid)).startswith("sor-")
    kinds = {e.kind for e in db.session.scalars(select(Event).where(Event.comment_id == 1))}
    assert "erased" in kinds
    assert db.session.scalar(select(PrivacyRequest.actor)) == "admin:root"
    assert alice.get("/v1/authors/demo/facebook/u-1").status_code == 404


def test_an_erased_authors_next_comment_starts_a_fresh_history(app, site, house):
    site.post(_personal())
    result = app.test_cli_runner().invoke(authors_cli, ["erase", "demo", "facebook", "u-1"])
    assert result.exit_code == 0, result.output
    site.post(payload("c-2", body="Bonjour à tous"))
    fresh = db.session.scalar(select(Author).where(Author.external_id == "u-1"))
    assert fresh is not None and (fresh.approved_count, fresh.rejected_count) == (1, 0)
    assert len(list(db.session.scalars(select(Author)))) == 2


def test_logs_never_carry_text_emails_or_ips(site, alice, bob, caplog):
    caplog.set_level(logging.DEBUG)
    site.post(_personal())
    site.post(_personal("c-2", body=f"{HELD} {MARKER}"))
    notice(site, "c-2", reporter={"id": "r-1", "source": "native", "name": NAME,
                                  "email": EMAIL})  # fmt: skip
    item = alice.page(queue="reported")["items"][0]
    alice.post(f"/v1/queue/{item['id']}/resolve", {"action": "reject", "reason": "illegal"})
    appeal(site, "c-2")
    item = bob.page(queue="appeals")["items"][0]
    bob.post(f"/v1/queue/{item['id']}/resolve", {"action": "approve"})
    records = caplog.records
    assert records  # the flow did log
    text = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in records)
    for personal in (MARKER, EMAIL, IP, NAME, "buter"):
        assert personal not in text, personal


def test_database_errors_never_log_the_statements_values(app):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    with db.engine.connect() as conn:
        try:
            conn.execute(text("INSERT INTO sites (id) VALUES (:marker)"), {"marker": MARKER})
        except IntegrityError as exc:
            assert MARKER not in str(exc)
        else:  # pragma: no cover - the insert lacks required columns
            raise AssertionError("expected an IntegrityError")
