"""Issue 15.6: posted files overlay the live rules directory (default) or replace it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from moderation.rules.store import rules_store
from tests.helpers import SiteClient, payload
from tests.rules.conftest import bearer

THREATS = (
    "rules:\n  - {id: threat, if: {body: {words: [buter]}}, then: reject, reason: threat}\n"
    "tests:\n  - {body: 'je vais te buter', expect: reject, rule: threat}\n"
)
INSULTS = {
    "files": {
        "new.yaml": "lists:\n  insults: {file: lists/insults.txt}\nrules:\n"
        "  - {id: insults, if: {body: {words: '@insults'}}, then: review, reason: insult}\n"
        "tests:\n  - {body: 'quel connard', expect: review, rule: insults}\n"
    },
    "lists": {"lists/insults.txt": "connard\n"},
}


@pytest.fixture
def live_threats(app: Flask) -> None:
    """The live rules directory holds a threat rule next to the empty house.yaml."""
    (rules_store().directory / "threats.yaml").write_text(THREATS)
    assert rules_store().reload()


Check = Callable[[dict[str, Any]], dict[str, Any]]


@pytest.fixture
def check(api: FlaskClient) -> Check:
    """POST /v1/rules/check as an admin; the answer's body."""
    headers = bearer()

    def post(body: dict[str, Any]) -> dict[str, Any]:
        response = api.post("/v1/rules/check", json=body, headers=headers)
        assert response.status_code == 200, response.json
        return dict(response.json)

    return post


@pytest.mark.usefixtures("live_threats")
def test_check_overlays_the_live_rules_by_default(check: Check) -> None:
    body = check(INSULTS)
    assert body["valid"] is True and body["mode"] == "overlay"
    assert body["rules"] == ["insults", "threat"]
    assert body["files"] == ["house.yaml", "lists/insults.txt", "new.yaml", "threats.yaml"]
    assert body["tests"]["passed"] == 2  # the live file's tests run too
    assert check({**INSULTS, "mode": "overlay"}) == body


@pytest.mark.usefixtures("live_threats")
def test_check_in_replace_mode_takes_the_files_alone(check: Check) -> None:
    body = check({**INSULTS, "mode": "replace"})
    assert body["valid"] is True and body["mode"] == "replace"
    assert body["rules"] == ["insults"]
    assert body["files"] == ["lists/insults.txt", "new.yaml"]


@pytest.mark.usefixtures("live_threats")
def test_overlay_sees_clashes_with_live_files(check: Check) -> None:
    clash = {"files": {"new.yaml": THREATS.replace("reason: threat", "reason: menace")}}
    body = check(clash)
    assert body["valid"] is False
    assert {(e["file"], e["line"]) for e in body["errors"]} == {
        ("new.yaml", 2),
        ("threats.yaml", 2),
    }
    assert check({**clash, "mode": "replace"})["valid"] is True


@pytest.mark.usefixtures("live_threats")
def test_overlay_replaces_a_live_file_of_the_same_name(check: Check) -> None:
    assert check({"files": {"threats.yaml": ""}})["rules"] == []
    renamed = {"files": {"./threats.yaml": INSULTS["files"]["new.yaml"]}, "lists": INSULTS["lists"]}
    assert check(renamed)["rules"] == ["insults"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/rules/check", {**INSULTS, "mode": "merge"}),
        ("/v1/rules/backtest", {"mode": "merge"}),
        ("/v1/rules/backtest", {"mode": "replace"}),
    ],
)
def test_mode_is_validated(api: FlaskClient, path: str, body: dict[str, Any]) -> None:
    response = api.post(path, json=body, headers=bearer())
    assert response.status_code == 400
    assert response.json["error"]["code"] == "validation_error"
    assert set(response.json["error"]["fields"]) & {"mode", "files"}


def post_comments(site: SiteClient) -> None:
    site.post(payload("c-1", body="Merci pour cet article"))
    site.post(payload("c-2", body="Quel connard, ce ministre"))
    site.post(payload("c-3", body="Je vais te buter"))


@pytest.mark.usefixtures("live_threats")
def test_backtest_overlays_the_live_rules(site: SiteClient, api: FlaskClient) -> None:
    post_comments(site)  # decided with the live threat rule: c-3 is rejected
    headers = bearer()
    overlay = api.post("/v1/rules/backtest", json=INSULTS, headers=headers).json
    assert (overlay["replayed"], overlay["changed"]) == (3, 1)
    assert overlay["by_action"] == {"approve -> review": 1}  # the threat stays rejected
    replace = api.post("/v1/rules/backtest", json={**INSULTS, "mode": "replace"}, headers=headers)
    assert replace.json["by_action"] == {"approve -> review": 1, "reject -> approve": 1}


def test_openapi_documents_the_mode(app: Flask) -> None:
    spec = app.test_client().get("/openapi.json").json
    for path in ("/v1/rules/check", "/v1/rules/backtest"):
        schema = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        ref = schema["schema"]["$ref"].rsplit("/", 1)[-1]
        mode = spec["components"]["schemas"][ref]["properties"]["mode"]
        assert mode["enum"] == ["overlay", "replace"] and mode["default"] == "overlay"
        assert "overlay (default)" in mode["description"]
