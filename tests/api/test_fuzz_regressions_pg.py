"""Fuzzing finds on PostgreSQL: text it cannot store or compare (NUL) must be a 4xx, never a 500.

PostgreSQL refuses NUL in text parameters and values, and a lone surrogate
cannot be encoded at all; SQLite took both, so the unit tests never saw these.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from moderation.accounts.service import add_user
from moderation.comments.models import CommentRevision
from moderation.extensions import db
from moderation.signing import signature_headers as sign_headers
from moderation.sites.service import add_site
from tests.helpers import SiteClient, payload

pytestmark = pytest.mark.integration


@pytest.fixture
def site(pg_app: Any) -> SiteClient:
    created, secret = add_site(db.session, slug="demo", callback_url="http://127.0.0.1:9/cb")
    db.session.commit()
    return SiteClient(pg_app.test_client(), created.slug, secret)


@pytest.fixture
def admin(pg_app: Any) -> Any:
    _, token = add_user(db.session, name="root", role="admin")
    db.session.commit()
    client = pg_app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/v1/sites/demo/comments/%00",
        "/v1/sites/%00/comments/c-1",
        "/v1/comments/demo/%00/history",
        "/v1/authors/demo/facebook/%00",
        "/v1/authors/demo/fa%00/u-1",
    ],
)
def test_nul_in_a_url_part_is_404(site: SiteClient, admin: Any, path: str) -> None:
    # Was: psycopg DataError (NUL in a text parameter), a 500.
    response = site.client.get(path) if "/sites/" in path else admin.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["reason", "source", "language", "site", "article", "cursor"])
def test_nul_in_a_queue_filter_is_400(admin: Any, name: str) -> None:
    response = admin.get("/v1/queue", query_string={name: "a\x00"})
    assert response.status_code == 400
    assert name in response.json["error"]["fields"]


def test_nul_in_a_sanction_reason_or_a_resolution_note_is_400(site: SiteClient, admin: Any) -> None:
    assert site.post(payload("c-1")).status_code == 202
    sanction = admin.post(
        "/v1/authors/demo/facebook/u-1/sanctions", json={"kind": "premoderate", "reason": "a\x00"}
    )
    assert sanction.status_code == 400
    # The note lands in a JSONB document: PostgreSQL refuses \u0000 there too.
    raw = json.dumps({"action": "approve", "note": "a\x00"})
    resolve = admin.post("/v1/queue/1/resolve", data=raw, content_type="application/json")
    assert resolve.status_code == 400
    assert "note" in resolve.json["error"]["fields"]


def test_a_reader_report_with_the_longest_ids_is_recorded(site: SiteClient) -> None:
    # Was: the audit actor "reader:<source>:<id>" overflowed events.actor VARCHAR(120), a 500.
    assert site.post(payload("c-1")).status_code == 202
    body = json.dumps({"reporter": {"id": "r" * 200, "source": "s" * 32}, "reason": "spam"})
    path = "/v1/sites/demo/comments/c-1/flags"
    response = site.client.post(
        path,
        data=body,
        headers={
            "Content-Type": "application/json",
            **sign_headers(site.secret, "POST", path, body.encode()),
        },
    )
    assert response.status_code == 201, response.json


def test_a_moderator_with_the_longest_name_can_act(pg_app: Any, site: SiteClient) -> None:
    # "moderator:" + name goes into VARCHAR(120) actor columns: names stop at 110.
    assert site.post(payload("c-1", "Voir https://bit.ly/x")).status_code == 202
    _, token = add_user(db.session, name="m" * 110, role="moderator")
    db.session.commit()
    client = pg_app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    author = "/v1/authors/demo/facebook/u-1/sanctions"
    assert client.post(author, json={"kind": "premoderate"}).status_code == 201


def test_a_long_language_hint_is_stored(site: SiteClient) -> None:
    # Was: the hint (validated up to 16 characters) overflowed comments.language
    # VARCHAR(8), a 500.
    response = site.post(payload("c-1", language="zh-Hant-TW"))
    assert response.status_code == 202, response.json


def test_unknown_fields_with_nul_surrogates_and_deep_nesting_are_stored(site: SiteClient) -> None:
    # Unknown fields are kept in JSONB, which refuses \u0000 and lone surrogates:
    # both are replaced by U+FFFD (known fields still refuse them with a 400).
    deep: Any = "fond"
    for _ in range(62):  # 64 levels with the payload and "extra": the most read_json takes
        deep = [deep]
    extra = {"k\u0000": "v\u0000", "s": "\udc00", "deep": deep, "n": 10**4000}
    raw = json.dumps(
        payload("c-1", author={"id": "u-1", "source": "vk", "x\u0000": 1}, extra=extra)
    )
    response = site.post(raw=raw.encode())
    assert response.status_code == 202, response.json
    stored = db.session.scalar(select(CommentRevision.payload))
    assert stored["extra"]["k\ufffd"] == "v\ufffd" and stored["extra"]["s"] == "\ufffd"
    assert stored["extra"]["deep"] == deep and stored["extra"]["n"] == 10**4000
    assert stored["author"]["x\ufffd"] == 1
