"""Intake: validation, limits, replays, revisions, deletion (SPEC §3)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from moderation.comments.models import Comment, CommentRevision, Decision, Event
from moderation.extensions import db
from tests.helpers import payload


def count(model, **where):
    query = select(func.count()).select_from(model)
    for key, value in where.items():
        query = query.where(getattr(model, key) == value)
    return db.session.scalar(query)


def test_new_comment_is_accepted_with_its_record(site):
    response = site.post(payload())
    assert response.status_code == 202
    body = response.json
    assert body["id"] == "c-1" and body["site"] == "demo" and body["revision"] == 1
    assert body["links"] == {"self": "/v1/sites/demo/comments/c-1"}
    assert body["status"] in ("pending", "approved")


def test_identical_replay_is_idempotent(site):
    first = site.post(payload())
    again = site.post(payload())
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json["revision"] == 1
    assert count(Comment) == 1 and count(CommentRevision) == 1 and count(Decision) == 1


def test_changed_body_is_a_new_revision_scored_again(site, receiver):
    site.post(payload(body="Premier jet"))
    response = site.post(payload(body="Version corrigée"))
    assert response.status_code == 202
    record = site.get("c-1").json
    assert record["revision"] == 2 and record["status"] == "approved"
    assert count(Decision) == 2
    revisions = receiver.wait_for(2, timeout=5)
    assert [r["comment"]["revision"] for r in revisions] == [1, 2]


def test_late_retry_of_an_older_revision_changes_nothing(site):
    site.post(payload(body="Premier jet"))
    site.post(payload(body="Version corrigée"))
    response = site.post(payload(body="Premier jet"))
    assert response.status_code == 200
    assert response.json["revision"] == 2
    assert count(CommentRevision) == 2


def test_html_is_reduced_to_text_and_links_kept(site):
    html = '<p>Voir <a href="https://bit.ly/x">ceci</a></p><script>alert(1)</script>'
    assert site.post(payload(body=html, body_format="html")).status_code == 202
    stored = db.session.scalar(select(CommentRevision))
    assert stored.body_text == "Voir ceci"
    assert stored.links == ["https://bit.ly/x"]
    assert stored.payload["body"] == html  # the original is kept verbatim


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda p: p.pop("id"), "id"),
        (lambda p: p.pop("body"), "body"),
        (lambda p: p["author"].pop("source"), "author.source"),
        (lambda p: p["article"].pop("id"), "article.id"),
        (lambda p: p.update(id=42), "id"),
        (lambda p: p.update(body=["not", "text"]), "body"),
        (lambda p: p["author"].update(source="Face book!"), "author.source"),
        (lambda p: p["author"].update(email_verified="maybe"), "author.email_verified"),
        (lambda p: p.update(body_format="markdown"), "body_format"),
        (lambda p: p.update(created_at="yesterday"), "created_at"),
        (lambda p: p.update(ip="999.1.1.1"), "ip"),
        (lambda p: p["article"].update(tags="Iran"), "article.tags"),
        (lambda p: p.update(body="nul\x00byte"), "body"),
        (lambda p: p.update(id=""), "id"),
    ],
)
def test_bad_fields_get_per_field_errors(site, mutate, field):
    data = payload()
    mutate(data)
    response = site.post(data)
    assert response.status_code == 400
    error = response.json["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"], error
    assert count(Comment) == 0


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b'{"id": "c-1",', "invalid_json"),
        (b"\xff\xfe{}", "invalid_encoding"),
        (b'{"id": "c\xc3"}', "invalid_encoding"),
        (b"[1, 2]", "validation_error"),
        (b"null", "validation_error"),
        (b"[" * 100_00 + b"]" * 100_00, "invalid_json"),
    ],
)
def test_malformed_bodies_are_400(site, raw, code):
    response = site.post(raw=raw)
    assert response.status_code == 400
    assert response.json["error"]["code"] == code


def test_lone_surrogate_escape_is_refused(site):
    raw = json.dumps(payload()).replace("Merci", "Merci \\ud800").encode()
    response = site.post(raw=raw)
    assert response.status_code == 400
    assert "body" in response.json["error"]["fields"]


def test_not_json_is_415(site):
    response = site.post(raw=b"id=c-1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.json["error"]["code"] == "unsupported_media_type"


def test_oversize_request_is_413(site):
    response = site.post(payload(body="x" * 70_000))
    assert response.status_code == 413
    assert response.json["error"]["code"] == "payload_too_large"
    assert count(Comment) == 0


def test_text_over_the_character_limit_is_413(site):
    response = site.post(payload(body="é" * 10_001))
    assert response.status_code == 413
    assert response.json["error"]["code"] == "text_too_long"
    assert site.post(payload(body="é" * 10_000)).status_code == 202


def test_delete_keeps_record_and_history(site):
    site.post(payload())
    response = site.delete("c-1")
    assert response.status_code == 200 and response.json["status"] == "deleted"
    assert site.get("c-1").json["status"] == "deleted"
    kinds = list(db.session.scalars(select(Event.kind).order_by(Event.id)))
    assert kinds == ["decided", "deleted"]  # receipt is the revision row itself
    assert count(CommentRevision) == 1
    assert site.delete("c-1").status_code == 200  # idempotent


def test_revision_of_a_deleted_comment_is_a_conflict(site):
    site.post(payload())
    site.delete("c-1")
    response = site.post(payload(body="Revenu"))
    assert response.status_code == 409
    assert response.json["error"]["code"] == "comment_deleted"


def test_unknown_comment_is_404(site):
    assert site.get("missing").status_code == 404
    assert site.delete("missing").json["error"]["code"] == "not_found"


def test_an_enqueue_failure_after_commit_never_fails_the_request(app, site):
    from moderation.jobs import CeleryDispatcher

    class Misconfigured:
        def send_task(self, *args, **kwargs):
            raise TypeError("a broken transport option")  # not a broker outage

    app.extensions["jobs"] = CeleryDispatcher(Misconfigured())  # type: ignore[arg-type]
    response = site.post(payload())
    assert response.status_code == 202
    assert count(Comment, status="pending") == 1  # stored; the sweeper will enqueue it
