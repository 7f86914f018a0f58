"""Fixtures for the review queue: a small house ruleset, moderators and an admin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from moderation.accounts.service import add_user
from moderation.extensions import db
from tests.helpers import QUEUE_RULES as RULES
from tests.helpers import reconfigure


@dataclass
class Moderator:
    """An API user with a bearer token."""

    client: Any
    name: str
    token: str

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **params: Any) -> Any:
        """GET with the token."""
        return self.client.get(path, query_string=params, headers=self._headers())

    def post(self, path: str, body: Any = None) -> Any:
        """POST JSON with the token."""
        return self.client.post(
            path, json=body if body is not None else {}, headers=self._headers()
        )

    def page(self, **params: Any) -> dict[str, Any]:
        """A queue page (asserts 200)."""
        response = self.get("/v1/queue", **params)
        assert response.status_code == 200, response.json
        return response.json  # type: ignore[no-any-return]


@pytest.fixture
def house(app, tmp_path):
    """Score with the small ruleset above."""
    (tmp_path / "rules" / "house.yaml").write_text(RULES)
    reconfigure(app)
    return app


def _user(app, name: str, role: str) -> Moderator:
    _, token = add_user(db.session, name=name, role=role)
    return Moderator(app.test_client(), name, token)


@pytest.fixture
def alice(house):
    return _user(house, "alice", "moderator")


@pytest.fixture
def bob(house):
    return _user(house, "bob", "moderator")


@pytest.fixture
def root(house):
    return _user(house, "root", "admin")
