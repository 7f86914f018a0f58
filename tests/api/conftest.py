"""Fixtures for fuzzing the HTTP API: a seeded app whose requests arrive signed and authorised."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.wrappers import Request

from harness.receiver import Receiver
from moderation.accounts.service import add_user
from moderation.extensions import db
from moderation.perspective.keys import add_key
from moderation.signing import request_target, signature_headers
from moderation.sites.service import add_site
from tests.helpers import ROOT, SiteClient, make_app, payload

RULES_DIR = ROOT / "rules"


class SigningMiddleware:
    """Signs and authorises every request the way a site and an admin would.

    The signature is computed on the bytes the app will read (or on the path the
    app will see, for a request with no body), after the fuzzer has serialised
    the case, so every generated request gets past authentication. Headers the
    fuzzer generated for the security schemes are replaced.
    """

    def __init__(self, app: Flask, secret: str, token: str, key: str) -> None:
        self.app, self.secret, self.token, self.key = app, secret, token, key

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        body = request.get_data()
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        for name, value in signature_headers(
            self.secret, request.method, request_target(environ), body
        ).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        environ["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        if ":" in request.path:  # Perspective-compatible routes authenticate by ?key=
            query = environ.get("QUERY_STRING", "")
            environ["QUERY_STRING"] = f"{query}&key={self.key}" if query else f"key={self.key}"
        return self.app(environ, start_response)


#: Path parameters that name the rows ``_seed`` creates (queue items 1 and 2 hold c-2 and c-3).
KNOWN: dict[str, list[Any]] = {
    "site": ["demo"],
    "cid": ["c-1", "c-2", "c-3"],
    "item_id": [1, 2],
    "source": ["facebook"],
    "author_id": ["u-1"],
}


def _seed(app: Flask, receiver: Receiver) -> tuple[str, str, str]:
    """A site with a Perspective key, an admin, an approved comment with a reader report, and
    two held ones."""
    with app.app_context():
        site, secret = add_site(db.session, slug="demo", callback_url=receiver.url)
        db.session.commit()
        receiver.secrets.append(secret)
        key = add_key(db.session, slug="demo")
        db.session.commit()
        _, token = add_user(db.session, name="root", role="admin")
        db.session.commit()
        client = SiteClient(app.test_client(), site.slug, secret)
        bodies = {
            "c-1": "Merci pour cet article",
            "c-2": "Voir https://bit.ly/promo pour gagner",
            "c-3": "Regardez https://tinyurl.com/xyz",
        }
        for cid, body in bodies.items():
            response = client.post(payload(cid, body))
            assert response.status_code == 202, response.json
        path = f"/v1/sites/{site.slug}/comments/c-1/flags"
        flag = json.dumps({"reporter": {"id": "r-1", "source": "native"}, "reason": "spam"})
        response = client.client.post(
            path,
            data=flag,
            headers={
                "Content-Type": "application/json",
                **signature_headers(secret, "POST", path, flag.encode()),
            },
        )
        assert response.status_code == 201, response.json
        db.remove()
    return secret, token, key


@pytest.fixture
def signed_app(
    tmp_path: Path, migrated_sqlite: Path, receiver: Receiver
) -> Iterator[SigningMiddleware]:
    """A fresh SQLite app with the shipped house rules, seeded, behind the signing middleware.

    No app context stays pushed: each fuzzed request gets its own, as in production.
    """
    path = tmp_path / "db.sqlite"
    shutil.copy(migrated_sqlite, path)
    app = make_app(f"sqlite:///{path}", tmp_path, RULES_DIR=str(RULES_DIR))
    secret, token, key = _seed(app, receiver)
    yield SigningMiddleware(app, secret, token, key)
    with app.app_context():
        db.engine.dispose()
