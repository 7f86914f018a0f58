"""Fixtures for the EU duties: a ruleset that rejects, holds and approves; moderators use it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from moderation.signing import signature_headers
from tests.helpers import SiteClient, reconfigure

RULES = """
default: approve
rules:
  - id: threats
    description: "Menaces et appels à la violence"
    article: "Charte des commentaires, art. 3"
    category: STATEMENT_CATEGORY_VIOLENCE
    priority: 100
    if: {body: {regex: "je vais te (tuer|buter)"}}
    then: reject
    reason: threat
  - id: doubtful
    description: "Propos douteux : relecture"
    article: "Charte des commentaires, art. 4"
    category: STATEMENT_CATEGORY_CYBER_VIOLENCE
    if: {body: {words: [douteux, louche]}}
    then: review
    reason: insult
"""
THREAT = "Je vais te buter, sale type"
HELD = "Un argument douteux"


@pytest.fixture
def house(app, tmp_path):
    """Score with the ruleset above."""
    (tmp_path / "rules" / "house.yaml").write_text(RULES)
    reconfigure(app)
    return app


def signed(site: SiteClient, method: str, path: str, body: Any = None) -> Any:
    """A signed site request to any path (JSON body or none)."""
    raw = json.dumps(body).encode() if body is not None else b""
    headers = signature_headers(site.secret, method, path, raw)
    if body is not None:
        headers["Content-Type"] = "application/json"
    return site.client.open(path, method=method, data=raw or None, headers=headers)


def statement_of(site: SiteClient, cid: str) -> Any:
    """GET the comment's statement of reasons."""
    return signed(site, "GET", f"/v1/sites/{site.slug}/comments/{cid}/statement")


def notice(site: SiteClient, cid: str, **overrides: Any) -> Any:
    """POST a complete notice of illegal content."""
    body: dict[str, Any] = {
        "reporter": {
            "id": "r-9",
            "source": "native",
            "name": "Marie Signalante",
            "email": "marie@example.org",
        },
        "reason": "illegal",
        "law": "Loi du 29 juillet 1881, art. 24",
        "explanation": "Provocation à la haine envers un groupe.",
        "bona_fide": True,
    }
    body.update(overrides)
    return signed(site, "POST", f"/v1/sites/{site.slug}/comments/{cid}/flags", body)


def appeal(site: SiteClient, cid: str, author: str = "u-1", source: str = "facebook") -> Any:
    """POST an appeal on behalf of ``author``."""
    body = {"author": {"id": author, "source": source}, "text": "Je conteste cette décision."}
    return signed(site, "POST", f"/v1/sites/{site.slug}/comments/{cid}/appeals", body)
