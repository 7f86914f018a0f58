"""Intake: unknown fields kept, hostile JSON refused cleanly, blank bodies refused (SPEC §3)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from moderation.comments.models import Comment, CommentRevision
from moderation.extensions import db
from tests.helpers import payload

EXTRAS = {
    "cms_status": "published",
    "article": {"id": "a-1", "paywall": True, "meta": {"words": 812}},
    "author": {"id": "u-1", "source": "native", "karma": 12, "badges": ["abonné"]},
}


def stored_payload():
    return db.session.scalar(select(CommentRevision.payload))


def test_unknown_fields_at_every_level_are_accepted_and_kept(site):
    data = payload(**EXTRAS)
    response = site.post(data)
    assert response.status_code == 202, response.json
    kept = stored_payload()
    assert kept["cms_status"] == "published"
    assert kept["article"]["meta"] == {"words": 812} and kept["article"]["paywall"] is True
    assert kept["author"]["karma"] == 12 and kept["author"]["badges"] == ["abonné"]
    assert db.session.scalar(select(Comment.article))["paywall"] is True
    assert site.post(data).status_code == 200  # a replay with extras is still a replay


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda p: p.update(parent_id=7), "parent_id"),
        (lambda p: p["article"].update(title=["x"]), "article.title"),
        (lambda p: p["author"].update(created_at=12), "author.created_at"),
        (lambda p: p.update(author="u-1"), "author"),
    ],
)
def test_known_fields_keep_their_types_next_to_unknown_ones(site, mutate, field):
    data = payload(**EXTRAS)
    mutate(data)
    response = site.post(data)
    assert response.status_code == 400
    assert field in response.json["error"]["fields"]


def test_nul_and_lone_surrogates_in_unknown_fields_are_replaced(site):
    raw = json.dumps(payload(extra={"a\u0000b": "x\u0000y", "s": "\ud800"}), ensure_ascii=True)
    response = site.post(raw=raw.encode())
    assert response.status_code == 202, response.json
    assert stored_payload()["extra"] == {"a\ufffdb": "x\ufffdy", "s": "\ufffd"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"id": "c-1", "x": NaN}', "NaN"),
        ('{"id": "c-1", "x": [-Infinity]}', "Infinity"),
        ('{"id": "c-1", "x": 1e400}', "out of range"),
        ('{"id": "c-1", "x": ' + "9" * 5000 + "}", "digits"),
        ('{"x": ' + "[" * 65 + "]" * 65 + "}", "over 64 levels"),
        ('{"x": ' + "[" * 900 + "]" * 900 + "}", "nested"),  # below json's own limit
    ],
)
def test_json_that_cannot_be_stored_is_400(site, raw, message):
    response = site.post(raw=raw.encode())
    assert response.status_code == 400
    error = response.json["error"]
    assert error["code"] == "invalid_json" and message in error["message"]


def test_deeply_nested_unknown_field_within_the_limit_is_kept(site):
    deep: object = "fond"
    for _ in range(60):
        deep = {"d": deep}
    assert site.post(payload(deep=deep)).status_code == 202
    assert stored_payload()["deep"] == deep


@pytest.mark.parametrize("body", ["", "   ", "\n\t ", "\u00a0\u200b\u2060\ufeff", "\u3164"])
def test_blank_body_is_400(site, body):
    response = site.post(payload(body=body))
    assert response.status_code == 400
    assert response.json["error"]["fields"]["body"] == ["Must not be blank."]


@pytest.mark.parametrize(
    "body", ["<p> </p>", "<img src=x>", "<p>&nbsp;</p><br>", "<script>hello</script>", "<!-- x -->"]
)
def test_html_that_reduces_to_nothing_is_400(site, body):
    response = site.post(payload(body=body, body_format="html"))
    assert response.status_code == 400
    assert response.json["error"]["fields"]["body"] == ["Has no text once HTML is reduced."]
    assert db.session.scalar(select(Comment)) is None


def test_html_that_keeps_only_a_link_is_accepted_and_judged(site):
    body = '<p><a href="https://bit.ly/x"> </a></p>'
    response = site.post(payload(body=body, body_format="html"))
    assert response.status_code == 202, response.json
    revision = db.session.scalar(select(CommentRevision))
    assert (revision.body_text, revision.links) == ("", ["https://bit.ly/x"])
    assert site.get("c-1").json["status"] in ("approved", "queued")


def test_html_with_text_is_accepted(site):
    response = site.post(payload(body="<p>Bonjour <b>à tous</b></p>", body_format="html"))
    assert response.status_code == 202
