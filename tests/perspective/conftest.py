"""An app with the repository's promoted model, a site and a Perspective API key."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from moderation.extensions import db
from moderation.perspective.keys import add_key
from moderation.perspective.models import ApiKey, Feedback, ScoredText
from moderation.sites.service import add_site
from tests.helpers import ROOT, make_app

MODELS = ROOT / "models"
# Coral's analyze body, byte for byte (compact JSON; research/compat.md §2.1).
CORAL = (
    '{"comment":{"text":"%s"},"doNotStore":true,'
    '"requestedAttributes":{"TOXICITY":{}},"languages":["fr"]}'
)


@pytest.fixture
def papp(tmp_path: Path, migrated_sqlite: Path) -> Iterator[Flask]:
    """A fresh app and database that scores with the promoted model in models/."""
    shutil.copy(migrated_sqlite, tmp_path / "db.sqlite")
    app = make_app(f"sqlite:///{tmp_path}/db.sqlite", tmp_path, MODELS_DIR=str(MODELS))
    with app.app_context():
        yield app
        db.remove()
        db.engine.dispose()


@pytest.fixture
def key(papp: Flask) -> str:
    """A live key for site ``demo``."""
    add_site(db.session, slug="demo", callback_url="http://127.0.0.1:9/cb")
    issued = add_key(db.session, slug="demo")
    db.session.commit()
    return issued


class Perspective:
    """Posts to the compatible routes with a key, as a client would."""

    def __init__(self, app: Flask, key: str) -> None:
        self.client, self.key = app.test_client(), key

    def analyze(self, body: Any, *, raw: bytes | None = None, query: str = "") -> Any:
        """POST /v1alpha1/comments:analyze."""
        return self.post("/v1alpha1/comments:analyze", body, raw=raw, query=query)

    def suggest(self, body: Any, *, raw: bytes | None = None, query: str = "") -> Any:
        """POST /v1alpha1/comments:suggestscore."""
        return self.post("/v1alpha1/comments:suggestscore", body, raw=raw, query=query)

    def post(self, path: str, body: Any, *, raw: bytes | None = None, query: str = "") -> Any:
        """POST JSON (or raw bytes) with ``?key=``."""
        data = raw if raw is not None else json.dumps(body).encode()
        url = f"{path}?key={self.key}{query}"
        return self.client.post(url, data=data, headers={"Content-Type": "application/json"})


@pytest.fixture
def persp(papp: Flask, key: str) -> Perspective:
    """A client holding a valid key."""
    return Perspective(papp, key)


def stored_counts() -> dict[str, int]:
    """Rows in each table this API writes."""
    tables = {"keys": ApiKey, "requests": ScoredText, "feedback": Feedback}
    return {
        n: db.session.scalar(select(func.count()).select_from(m)) or 0 for n, m in tables.items()
    }


def everything() -> str:
    """Every row of every table, as text (committed first)."""
    from moderation.models import Base

    db.session.commit()
    tables = Base.metadata.sorted_tables
    return "\n".join(repr(tuple(r)) for t in tables for r in db.session.execute(select(t)))


def request_body(text: str = "Merci pour cet article", **extra: Any) -> dict[str, Any]:
    """An analyze body asking for TOXICITY."""
    return {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}, **extra}
