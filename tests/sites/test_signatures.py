"""v2 signatures bind the method, the path and the query (SPEC §3)."""

from __future__ import annotations

import json
import time

import pytest

from moderation.cli import build_cli
from moderation.extensions import db
from moderation.signing import (
    SignatureError,
    request_target,
    sign,
    sign_legacy,
    signature_headers,
    verify,
)
from moderation.sites.service import get_site
from tests.helpers import payload

COMMENTS = "/v1/sites/demo/comments"
RECORD = COMMENTS + "/c-1"
MISMATCH = {"error": {"code": "invalid_signature", "message": "Signature does not match."}}


def legacy_headers(secret: str, signed: bytes) -> dict[str, str]:
    """The deprecated form: ``sha256=`` over ``{timestamp}.{body}`` (or ``.path``)."""
    ts = str(int(time.time()))
    return {"X-Moderation-Timestamp": ts, "X-Moderation-Signature": sign_legacy(secret, ts, signed)}


def pre_v2(slug: str = "demo") -> None:
    """Make the site one created before v2 (what migration 0011 does to existing sites)."""
    found = get_site(db.session, slug)
    assert found is not None
    found.legacy_signatures = True
    db.commit()


def refused(response) -> bool:
    return response.status_code == 401 and response.json == MISMATCH


def test_a_captured_get_replayed_as_a_delete_is_refused(site):
    assert site.post(payload()).status_code == 202
    captured = signature_headers(site.secret, "GET", RECORD)
    assert site.client.get(RECORD, headers=captured).status_code == 200
    assert refused(site.client.delete(RECORD, headers=captured))
    assert site.get("c-1").json["status"] != "deleted"


def test_a_legacy_get_replayed_as_a_delete_is_refused_too(site):
    """A body-less ``sha256=`` signed only ``{timestamp}.{path}``: no longer accepted at all."""
    assert site.post(payload()).status_code == 202
    pre_v2()
    captured = legacy_headers(site.secret, RECORD.encode())
    assert refused(site.client.get(RECORD, headers=captured))
    assert refused(site.client.delete(RECORD, headers=captured))
    assert site.get("c-1").json["status"] != "deleted"


def test_the_query_string_is_signed(site):
    assert site.post(payload()).status_code == 202
    signed = signature_headers(site.secret, "GET", RECORD + "?x=1")
    assert site.client.get(RECORD + "?x=1", headers=signed).status_code == 200
    assert refused(site.client.get(RECORD + "?x=2", headers=signed))
    assert refused(site.client.get(RECORD, headers=signed))
    plain = signature_headers(site.secret, "GET", RECORD)
    assert refused(site.client.get(RECORD + "?x=1", headers=plain))


def test_no_query_means_no_question_mark(site):
    """Flask's ``full_path`` adds ``?``: the target is the request line's, not that."""
    assert site.post(payload()).status_code == 202
    assert (
        site.client.get(RECORD, headers=signature_headers(site.secret, "GET", RECORD)).status_code
        == 200
    )
    with_mark = signature_headers(site.secret, "GET", RECORD + "?")
    assert refused(site.client.get(RECORD, headers=with_mark))


def test_a_percent_encoded_path_is_signed_as_sent(site):
    assert site.post(payload("c é+1")).status_code == 202
    encoded = COMMENTS + "/c%20%C3%A9%2B1"
    got = site.client.get(encoded, headers=signature_headers(site.secret, "GET", encoded))
    assert got.status_code == 200 and got.json["id"] == "c é+1"
    decoded = signature_headers(site.secret, "GET", COMMENTS + "/c é+1")
    assert refused(site.client.get(encoded, headers=decoded))


def test_the_target_is_the_raw_request_uri():
    gunicorn = {"RAW_URI": "/v1/a%2Fb?x=1&y", "PATH_INFO": "/v1/a/b", "QUERY_STRING": "x=1&y"}
    assert request_target(gunicorn) == "/v1/a%2Fb?x=1&y"
    assert request_target({"REQUEST_URI": "/v1/a"}) == "/v1/a"
    assert request_target({"RAW_URI": "http://host:8000/v1/a?q"}) == "/v1/a?q"
    assert request_target({"PATH_INFO": "/v1/a b", "QUERY_STRING": ""}) == "/v1/a%20b"
    assert request_target({"PATH_INFO": "/v1/a", "QUERY_STRING": "q=1"}) == "/v1/a?q=1"


def test_legacy_is_accepted_with_a_body_from_a_pre_v2_site_until_turned_off(app, site):
    pre_v2()
    raw = json.dumps(payload()).encode()
    headers = {"Content-Type": "application/json", **legacy_headers(site.secret, raw)}
    assert site.client.post(COMMENTS, data=raw, headers=headers).status_code == 202
    runner = app.test_cli_runner()
    shown = runner.invoke(build_cli(), ["sites", "legacy-signatures", "demo"])
    assert json.loads(shown.output) == {"site": "demo", "legacy_signatures": True}
    result = runner.invoke(build_cli(), ["sites", "legacy-signatures", "demo", "--off"])
    assert json.loads(result.output) == {"site": "demo", "legacy_signatures": False}
    raw = json.dumps(payload("c-2")).encode()
    headers = {"Content-Type": "application/json", **legacy_headers(site.secret, raw)}
    assert refused(site.client.post(COMMENTS, data=raw, headers=headers))
    assert site.post(payload("c-3")).status_code == 202  # v2 goes on


def test_a_new_site_refuses_legacy_signatures(site):
    raw = json.dumps(payload()).encode()
    headers = {"Content-Type": "application/json", **legacy_headers(site.secret, raw)}
    assert refused(site.client.post(COMMENTS, data=raw, headers=headers))
    assert site.get("c-1").status_code == 404


def test_legacy_signatures_switch_is_in_the_help(app):
    runner = app.test_cli_runner()
    listing = runner.invoke(build_cli(), ["sites", "--help"]).output
    assert "legacy-signatures" in listing
    help_text = runner.invoke(build_cli(), ["sites", "legacy-signatures", "--help"]).output
    assert "--off" in help_text and "sha256=" in help_text
    missing = runner.invoke(build_cli(), ["sites", "legacy-signatures", "nope", "--off"])
    assert missing.exit_code == 1 and "No site" in missing.output


def test_verify_refuses_legacy_without_a_body_even_when_allowed():
    ts = str(int(time.time()))
    old = sign_legacy("s", ts, b"/p")
    with pytest.raises(SignatureError):
        verify(["s"], timestamp=ts, signature=old, method="GET", target="/p", body=b"", legacy=True)
    body_sig = sign_legacy("s", ts, b"{}")
    verify(
        ["s"], timestamp=ts, signature=body_sig, method="POST", target="/p", body=b"{}", legacy=True
    )
    with pytest.raises(SignatureError):
        verify(["s"], timestamp=ts, signature=body_sig, method="POST", target="/p", body=b"{}")


@pytest.mark.parametrize("method", ["GET", "DELETE", "POST", "get"])
def test_v2_binds_each_part(method):
    ts = str(int(time.time()))
    good = sign("s", ts, method, "/p?q=1", b"x")
    verify(["s"], timestamp=ts, signature=good, method=method.upper(), target="/p?q=1", body=b"x")
    for change in (
        {"method": "PUT"},
        {"target": "/p?q=2"},
        {"target": "/p"},
        {"body": b"y"},
        {"timestamp": str(int(ts) - 1)},
    ):
        args = {"timestamp": ts, "method": method, "target": "/p?q=1", "body": b"x"} | change
        with pytest.raises(SignatureError):
            verify(["s"], signature=good, **args)  # type: ignore[arg-type]


def test_callbacks_of_a_new_site_carry_v2_only(site, receiver):
    site.post(payload())
    got = receiver.wait_for(1, timeout=5)[0]  # the receiver verified v2 already
    values = got["headers"]["X-Moderation-Signature"].split(",")
    assert len(values) == 1 and values[0].startswith("v2=")
    ts = got["headers"]["X-Moderation-Timestamp"]
    assert values[0] == sign(site.secret, ts, "POST", "/callback", got["raw"])


def test_callbacks_of_a_legacy_site_carry_both_forms(site, receiver):
    pre_v2()
    site.post(payload())
    got = receiver.wait_for(1, timeout=5)[0]
    ts = got["headers"]["X-Moderation-Timestamp"]
    values = got["headers"]["X-Moderation-Signature"].split(",")
    assert values == [
        sign(site.secret, ts, "POST", "/callback", got["raw"]),
        sign_legacy(site.secret, ts, got["raw"]),
    ]


@pytest.mark.parametrize("timestamp", ["1796650²7", "١٢٣٤٥", "+1796650", " 1796650", "1e9"])
def test_a_timestamp_of_other_digits_is_a_401(site, timestamp):
    headers = {"X-Moderation-Timestamp": timestamp, "X-Moderation-Signature": "v2=" + "0" * 64}
    response = site.client.get(RECORD, headers=headers)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_timestamp"
