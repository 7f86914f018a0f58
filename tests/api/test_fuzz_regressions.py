"""Regression tests for the crashes and contract gaps that fuzzing found (SQLite).

The PostgreSQL-only ones (NUL in text) are in tests/api/test_fuzz_regressions_pg.py.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest
from flask import Flask

from moderation.accounts.service import AccountError, add_user
from moderation.durations import parse_duration
from moderation.extensions import db
from moderation.rules.loader import compile_ruleset
from moderation.rules.problems import RulesetInvalid
from tests.helpers import SiteClient, payload

SPARE = "9999-12-31T23:59:59-14:00"  # a valid instant that UTC cannot hold (year 10000)


@pytest.fixture
def admin(app: Flask) -> Any:
    """A test client that sends an admin's bearer token."""
    _, token = add_user(db.session, name="root", role="admin")
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def _cursor(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_queue_filter_on_an_unknown_site_is_a_documented_404(admin: Any) -> None:
    response = admin.get("/v1/queue", query_string={"site": "nope"})
    assert response.status_code == 404
    spec = admin.get("/openapi.json").json
    assert "404" in spec["paths"]["/v1/queue"]["get"]["responses"]


@pytest.mark.parametrize("action", ["claim", "release", "resolve"])
def test_item_ids_beyond_the_column_range_are_404_not_500(admin: Any, action: str) -> None:
    # Was: OverflowError binding 2**73 into SQLite's INTEGER, a 500.
    response = admin.post(f"/v1/queue/{2**73}/{action}", json={"action": "approve"})
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    spec = admin.get("/openapi.json").json
    (param,) = spec["paths"]["/v1/queue/{item_id}/" + action]["post"]["parameters"]
    assert param["schema"] == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}


@pytest.mark.parametrize(
    "raw",
    [
        b'[0, "2020-01-01T00:00:00", 1]',  # naive time: was a 500 when bound to the query
        b'[1000000000000000000000000000, "2020-01-01T00:00:00+00:00", 1]',  # overflow: 500
        b'[0, "2020-01-01T00:00:00+00:00", Infinity]',  # int(inf): OverflowError, 500
    ],
)
def test_forged_queue_cursors_are_400(admin: Any, raw: bytes) -> None:
    response = admin.get("/v1/queue", query_string={"cursor": _cursor(raw)})
    assert response.status_code == 400
    assert response.json["error"]["fields"] == {"cursor": ["Invalid cursor."]}


def test_sanction_until_that_utc_cannot_hold_is_400(site: SiteClient, admin: Any) -> None:
    assert site.post(payload("c-1")).status_code == 202
    path = "/v1/authors/demo/facebook/u-1/sanctions"
    # Was: OverflowError converting to UTC when stored, a 500.
    response = admin.post(path, json={"kind": "ban", "until": SPARE})
    assert response.status_code == 400
    assert "until" in response.json["error"]["fields"]
    far = admin.post(path, json={"kind": "ban", "until": "9999-12-31T23:59:59+14:00"})
    assert far.status_code == 201  # the same wall time east of UTC fits


@pytest.mark.parametrize("moment", [SPARE, "0001-01-01T00:00:00+14:00"])
def test_author_created_at_that_utc_cannot_hold_is_400(site: SiteClient, moment: str) -> None:
    author = {"id": "u-9", "source": "native", "created_at": moment}
    response = site.post(payload("c-1", author=author))
    assert response.status_code == 400
    assert "author.created_at" in response.json["error"]["fields"]


def test_lone_surrogates_in_free_text_are_400(site: SiteClient, admin: Any) -> None:
    assert site.post(payload("c-1")).status_code == 202
    # JSON can spell a lone surrogate; SQLite cannot store one (was a 500).
    raw = '{"kind": "premoderate", "reason": "a\\ud800b"}'
    response = admin.post(
        "/v1/authors/demo/facebook/u-1/sanctions", data=raw, content_type="application/json"
    )
    assert response.status_code == 400
    assert "reason" in response.json["error"]["fields"]


def test_rule_files_nested_too_deeply_are_refused_with_file_and_line() -> None:
    # Was: RecursionError out of the YAML parser (a 500 on /v1/rules/check).
    for text in ("[" * 1000, "- " * 1000, "a: " + "{a: " * 1000):
        with pytest.raises(RulesetInvalid) as caught:
            compile_ruleset({"deep.yaml": text}, {})
        assert "deep.yaml:1: invalid YAML: nested too deeply" in str(caught.value)


@pytest.mark.parametrize("text", ["99999999999d", "999999 days", "36501 days"])
def test_durations_over_a_century_are_refused(text: str) -> None:
    # Was: OverflowError from timedelta, or later from now - window (history, backtest).
    with pytest.raises(ValueError, match=r"duration|malformed"):
        parse_duration(text)


def test_a_century_is_still_a_duration() -> None:
    assert parse_duration("36500 days").days == 36500


@pytest.mark.parametrize(
    "body",
    [
        {"since": "99999999999d"},
        {
            "files": {
                "a.yaml": "rules:\n  - id: x\n    if: {history: {same_body_within: '999999 days'}}"
                "\n    then: review\n"
            }
        },
    ],
)
def test_backtest_with_huge_windows_is_400_not_500(admin: Any, body: dict[str, Any]) -> None:
    response = admin.post("/v1/rules/backtest", json=body)
    assert response.status_code == 400, response.json


def test_check_refuses_a_history_window_that_would_overflow(admin: Any) -> None:
    rule = "rules:\n  - id: x\n    if: {history: {author_rate: '> 0 per 999999 days'}}\n"
    response = admin.post(
        "/v1/rules/check", json={"files": {"a.yaml": rule + "    then: review\n"}}
    )
    assert response.status_code == 200
    assert response.json["valid"] is False
    assert "longer than 36500 days" in json.dumps(response.json["errors"])


@pytest.mark.parametrize(
    ("rule", "key"),
    [
        ("id: " + "r" * 65, "rules[0].id"),  # the id is the reason when none is given
        ("id: x\n    reason: " + "x" * 65, "rules[0].reason"),
        ("id: x\n    priority: 2147483648", "rules[0].priority"),
    ],
)
def test_rules_whose_decisions_could_not_be_stored_are_refused(rule: str, key: str) -> None:
    # Was: accepted, then every decision by the rule failed on PostgreSQL (reason is a
    # VARCHAR(64), priority an INTEGER) and its comments stayed pending for ever.
    text = f"rules:\n  - {rule}\n    if: {{body: {{length: '> 0'}}}}\n    then: review\n"
    with pytest.raises(RulesetInvalid, match=re.escape(key)):
        compile_ruleset({"a.yaml": text}, {})


def test_user_names_leave_room_for_the_moderator_prefix(app: Flask) -> None:
    # "moderator:" + name is stored in VARCHAR(120) actor columns.
    add_user(db.session, name="m" * 110, role="moderator")
    with pytest.raises(AccountError):
        add_user(db.session, name="n" * 111, role="moderator")
