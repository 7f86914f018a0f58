"""Console fixtures: held comments, moderators with passwords, a signed-in test client."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from moderation.accounts.service import add_user, set_password
from moderation.extensions import db
from tests.helpers import payload, reconfigure

RULES = """
default: approve
rules:
  - id: insults
    description: "Insultes (art. 2)"
    if: {body: {words: [idiot, crétin]}}
    then: review
    reason: insult
  - id: links
    priority: 10
    if: {body: {has_link: true}}
    then: review
    reason: links
"""
PASSWORD = "correct horse battery"


@dataclass
class Browserless:
    """A signed-in console session over Flask's test client."""

    client: Any
    name: str
    csrf: str

    def post(self, path: str, data: dict[str, Any] | None = None, htmx: bool = True) -> Any:
        """POST a form with the CSRF header (as htmx sends it)."""
        headers = {"X-CSRF-Token": self.csrf}
        if htmx:
            headers["HX-Request"] = "true"
        return self.client.post(path, data=data or {}, headers=headers)


def csrf_of(html: str) -> str:
    """The CSRF token a page carries."""
    found = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def sign_in(app: Any, name: str, password: str = PASSWORD) -> Browserless:
    """Sign in through the form, as a person would."""
    client = app.test_client()
    token = csrf_of(client.get("/console/login").get_data(as_text=True))
    answer = client.post(
        "/console/login", data={"name": name, "password": password, "csrf_token": token}
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    page = client.get("/console/queue/pending").get_data(as_text=True)
    return Browserless(client, name, csrf_of(page))


@pytest.fixture
def console_app(app, tmp_path):
    """The app with a small house ruleset that holds insults and links."""
    (tmp_path / "rules" / "house.yaml").write_text(RULES)
    reconfigure(app)
    return app


def make_moderator(name: str, role: str = "moderator") -> None:
    """A user with a console password."""
    add_user(db.session, name=name, role=role)
    set_password(db.session, name=name, password=PASSWORD)
    db.commit()


@pytest.fixture
def held(console_app, site):
    """Three held comments: an insult, a reply with a link, and one by another author."""
    ids = []
    for cid, body, extra in (
        ("h-1", "Quel idiot, franchement", {}),
        ("h-2", "Voyez https://spam.example/x", {"parent_id": "h-1"}),
        ("h-3", "Espèce de crétin", {"author": {"id": "u-2", "source": "google"}}),
    ):
        assert site.post(payload(cid, body, **extra)).status_code == 202
        ids.append(cid)
    return ids
