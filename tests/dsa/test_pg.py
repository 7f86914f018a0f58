"""EU duties on the real path: PostgreSQL, gunicorn, a Celery worker, signed callbacks."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import pytest
import requests
from sqlalchemy import select, update

from moderation.accounts.service import add_user
from moderation.comments.models import CommentRevision
from moderation.dsa.cli import dsa_cli
from moderation.extensions import db
from moderation.signing import signature_headers
from tests.dsa.tdb_checker import problems
from tests.helpers import payload, sweep_now
from tests.test_real_path import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NAME, EMAIL, IP, MARKER = "Jeanne Testeuse", "jeanne.pg@example.org", "198.51.100.91", "Qx9-marq"


class Api:
    """Signed site calls and moderator calls over HTTP."""

    def __init__(self, base: str, site, tokens: dict[str, str]) -> None:
        self.base, self.site, self.tokens = base, site, tokens

    def signed(self, method: str, path: str, body=None):
        raw = json.dumps(body).encode() if body is not None else b""
        headers = signature_headers(self.site.secret, method, path, raw)
        if body is not None:
            headers["Content-Type"] = "application/json"
        return requests.request(method, self.base + path, data=raw or None, headers=headers,
                                timeout=10)  # fmt: skip

    def as_(self, name: str, method: str, path: str, **kwargs):
        headers = {"Authorization": f"Bearer {self.tokens[name]}"}
        return requests.request(method, self.base + path, headers=headers, timeout=10, **kwargs)

    def items(self, name: str, queue: str):
        return self.as_(name, "GET", "/v1/queue", params={"queue": queue}).json()["items"]

    def resolve(self, name: str, item_id: int, action: str, reason: str | None = None):
        body = {"action": action, **({"reason": reason} if reason else {})}
        return self.as_(name, "POST", f"/v1/queue/{item_id}/resolve", json=body)

    def comment(self, cid: str) -> str:
        return self.site.get(cid).json()["status"]


@pytest.fixture
def api(http_site, web):
    tokens = {n: add_user(db.session, name=n, role="moderator")[1] for n in ("alice", "bob")}
    tokens["root"] = add_user(db.session, name="root", role="admin")[1]
    db.session.commit()
    return Api(web, http_site, tokens)


def _events(receiver, event):
    return [c for c in receiver.received if c["event"] == event]


def _first_item(api, name, queue):
    assert wait_until(lambda: len(api.items(name, queue)) >= 1, timeout=60)
    return api.items(name, queue)[0]


def test_statement_notice_and_appeals_reversed_and_upheld(api, worker, receiver, pg_app):
    # A held comment rejected by alice: its statement, served and called back.
    assert api.site.post(payload("c-1", body="Un argument douteux")).status_code == 202
    item = _first_item(api, "alice", "pending")
    assert api.resolve("alice", item["id"], "reject", "insult").status_code == 200
    assert wait_until(lambda: any(c.get("statement") for c in receiver.received), timeout=60)
    statement = api.signed("GET", "/v1/sites/demo/comments/c-1/statement").json()["statement"]
    assert statement["automated_decision"] == "AUTOMATED_DECISION_PARTIALLY"
    called_back = next(c["statement"] for c in receiver.received if c.get("statement"))
    assert called_back["puid"] == statement["puid"]
    # The author appeals; alice decided, so only bob may: he reverses it.
    body = {"author": {"id": "u-1", "source": "facebook"}, "text": "Ce n'était pas une injure."}
    assert api.signed("POST", "/v1/sites/demo/comments/c-1/appeals", body).status_code == 201
    item = _first_item(api, "bob", "appeals")
    assert api.resolve("alice", item["id"], "approve").status_code == 403
    assert api.resolve("bob", item["id"], "approve").status_code == 200
    assert api.comment("c-1") == "approved"
    assert wait_until(lambda: _events(receiver, "appeal.decided"), timeout=60)
    assert _events(receiver, "appeal.decided")[0]["appeal"]["status"] == "reversed"

    # A notice on a published comment: first in "reported", decided, notifier told.
    assert api.site.post(payload("c-2", body="Un avis publié")).status_code == 202
    assert wait_until(lambda: api.comment("c-2") == "approved", timeout=60)
    notice = {
        "reporter": {"id": "r-1", "source": "native", "name": NAME, "email": EMAIL},
        "reason": "illegal",
        "law": "Loi du 29 juillet 1881, art. 24",
        "explanation": "Provocation à la haine.",
        "bona_fide": True,
    }
    assert api.signed("POST", "/v1/sites/demo/comments/c-2/flags", notice).status_code == 201
    item = _first_item(api, "alice", "reported")
    assert item["comment"]["id"] == "c-2" and item["reasons"][0] == "illegal"
    assert api.resolve("alice", item["id"], "reject", "illegal").status_code == 200
    assert wait_until(lambda: _events(receiver, "notice.decided"), timeout=60)
    assert _events(receiver, "notice.decided")[0]["notice"]["outcome"] == "removed"
    statement = api.signed("GET", "/v1/sites/demo/comments/c-2/statement").json()["statement"]
    assert statement["source_type"] == "SOURCE_ARTICLE_16"
    # The author appeals; bob upholds.
    assert api.signed("POST", "/v1/sites/demo/comments/c-2/appeals", body).status_code == 201
    item = _first_item(api, "bob", "appeals")
    assert api.resolve("bob", item["id"], "reject", "illegal").status_code == 200
    assert api.comment("c-2") == "rejected"
    assert wait_until(lambda: len(_events(receiver, "appeal.decided")) == 2, timeout=60)
    assert _events(receiver, "appeal.decided")[1]["appeal"]["status"] == "upheld"
    # A second appeal on the same decision changes nothing.
    again = api.signed("POST", "/v1/sites/demo/comments/c-2/appeals", body)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_appealed"

    # The export: every line passes the Transparency Database's rules.
    result = pg_app.test_cli_runner().invoke(dsa_cli, ["export", "--since", "30d"])
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 2 and all(problems(line) == [] for line in lines), lines
    assert EMAIL not in result.output and NAME not in result.output


def test_ip_sweep_and_erasure_checked_against_a_database_dump(
    api, worker, receiver, pg_app, stack_env
):
    author = {"id": "u-7", "source": "native", "name": NAME, "email": EMAIL}
    for cid, body in (("e-1", f"Un argument douteux {MARKER}"), ("e-2", f"Bonjour {MARKER}")):
        data = payload(cid, body=body, author=author, ip=IP, user_agent="Mozilla/5.0 Marq")
        assert api.site.post(data).status_code == 202
    assert wait_until(lambda: api.comment("e-2") == "approved", timeout=60)
    item = _first_item(api, "alice", "pending")
    assert api.resolve("alice", item["id"], "reject", "insult").status_code == 200
    # The retention sweep: one revision is past a year old.
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    db.session.execute(update(CommentRevision).where(CommentRevision.id == 2).values(
        received_at=old))  # fmt: skip
    db.session.commit()
    sweep_now()
    db.session.rollback()
    payloads = {r.id: r.payload for r in db.session.scalars(select(CommentRevision))}
    assert "ip" not in payloads[2] and "user_agent" not in payloads[2]
    assert payloads[1]["ip"] == IP
    # Erasure by an admin: the dump of the whole database no longer has any of it.
    erased = api.as_("root", "DELETE", "/v1/authors/demo/native/u-7")
    assert erased.status_code == 200, erased.text
    dump = subprocess.run(
        ["pg_dump", "--data-only", stack_env["DATABASE_URL"].replace("+psycopg", "")],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "sor-" in dump  # the statement stays
    for personal in (NAME, EMAIL, IP, MARKER, "Mozilla/5.0 Marq"):
        assert personal not in dump, personal
