"""HMAC signatures: timestamps, secrets, rotation (SPEC §3)."""

from __future__ import annotations

import json
import time

import pytest

from moderation.extensions import db
from moderation.signing import SignatureError, sign, verify
from moderation.sites.service import rotate_secret
from tests.helpers import SiteClient, payload

BODY = b'{"x": 1}'
PATH = "/v1/sites/demo/comments"


def test_verify_accepts_a_valid_signature():
    ts = str(int(time.time()))
    good = sign("s3cret", ts, "POST", "/p", BODY)
    verify(["s3cret"], timestamp=ts, signature=good, method="POST", target="/p", body=BODY)


@pytest.mark.parametrize(
    ("offset", "signature", "code"),
    [
        (None, "sha256=00", "missing_signature"),
        ("now", "sha256=00", "invalid_timestamp"),
        (-302, None, "missing_signature"),
        (-302, "x", "stale_timestamp"),
        (302, "x", "stale_timestamp"),
        (0, "sha256=" + "0" * 64, "invalid_signature"),
    ],
)
def test_verify_refuses(offset, signature, code):
    timestamp = str(int(time.time()) + offset) if isinstance(offset, int) else offset
    with pytest.raises(SignatureError) as caught:
        verify(
            ["s3cret"],
            timestamp=timestamp,
            signature=signature,
            method="POST",
            target="/p",
            body=BODY,
        )
    assert caught.value.code == code


def test_one_valid_value_among_several_suffices():
    ts = str(int(time.time()))
    header = "v2=" + "1" * 64 + ", " + sign("s3cret", ts, "POST", "/p", BODY)
    verify(["s3cret"], timestamp=ts, signature=header, method="POST", target="/p", body=BODY)


def test_signature_covers_the_body():
    ts = str(int(time.time()))
    with pytest.raises(SignatureError):
        verify(
            ["s3cret"],
            timestamp=ts,
            signature=sign("s3cret", ts, "POST", "/p", BODY),
            method="POST",
            target="/p",
            body=b'{"x": 2}',
        )


def test_bodyless_requests_sign_the_path():
    ts = str(int(time.time()))
    good = sign("s3cret", ts, "GET", "/v1/sites/demo/comments/a")
    verify(
        ["s3cret"],
        timestamp=ts,
        signature=good,
        method="GET",
        target="/v1/sites/demo/comments/a",
        body=b"",
    )
    with pytest.raises(SignatureError):
        verify(
            ["s3cret"],
            timestamp=ts,
            signature=good,
            method="GET",
            target="/v1/sites/demo/comments/b",
            body=b"",
        )


@pytest.mark.parametrize("case", ["no_headers", "wrong_secret", "stale", "tampered"])
def test_unsigned_webhooks_change_nothing(app, site, case):
    raw = json.dumps(payload()).encode()
    headers = {"Content-Type": "application/json"}
    ts = str(int(time.time()))
    if case == "wrong_secret":
        headers |= {
            "X-Moderation-Timestamp": ts,
            "X-Moderation-Signature": sign("nope", ts, "POST", PATH, raw),
        }
    elif case == "stale":
        old = str(int(time.time()) - 600)
        headers |= {
            "X-Moderation-Timestamp": old,
            "X-Moderation-Signature": sign(site.secret, old, "POST", PATH, raw),
        }
    elif case == "tampered":
        headers |= {
            "X-Moderation-Timestamp": ts,
            "X-Moderation-Signature": sign(site.secret, ts, "POST", PATH, raw),
        }
        raw = raw.replace(b"Merci", b"Mercy")
    response = site.client.post("/v1/sites/demo/comments", data=raw, headers=headers)
    assert response.status_code == 401
    assert set(response.json["error"]) >= {"code", "message"}
    assert site.get("c-1").status_code == 404


def test_rotation_keeps_the_old_secret_for_the_grace_period(app, site):
    _, new_secret, _ = rotate_secret(db.session, slug="demo")
    old = SiteClient(site.client, "demo", site.secret)
    new = SiteClient(site.client, "demo", new_secret)
    assert old.post(payload("c-old")).status_code == 202
    assert new.post(payload("c-new")).status_code == 202


def test_rotation_grace_expires(app, site):
    app.config["SECRET_GRACE_SECONDS"] = -1
    _, new_secret, _ = rotate_secret(db.session, slug="demo")
    assert site.post(payload("c-old")).status_code == 401
    assert SiteClient(site.client, "demo", new_secret).post(payload()).status_code == 202


def test_unknown_site_answers_exactly_like_a_bad_signature(app, site):
    """Site names cannot be probed without a secret (15.8)."""
    unknown = SiteClient(site.client, "nope", site.secret)
    wrong = SiteClient(site.client, "demo", "not-the-secret")
    for call in (lambda c: c.post(payload()), lambda c: c.get("c-1"), lambda c: c.delete("c-1")):
        a, b = call(unknown), call(wrong)
        assert a.status_code == b.status_code == 401
        assert (
            a.json
            == b.json
            == {"error": {"code": "invalid_signature", "message": "Signature does not match."}}
        )


@pytest.mark.parametrize(
    "value",
    ["deadbeef" * 8, "sha1=" + "0" * 40, "sha256=xyz", "sha256=", "v2=xyz", "v3=" + "0" * 64],
)
def test_a_malformed_signature_says_the_expected_format(app, site, value):
    ts = str(int(time.time()))
    with pytest.raises(SignatureError) as caught:
        verify(["s3cret"], timestamp=ts, signature=value, method="GET", target="/p", body=BODY)
    assert caught.value.code == "malformed_signature"
    assert 'v2=<hex HMAC-SHA256 of "{timestamp}.{METHOD}.{target}.{body}">' in caught.value.message
    for slug in ("demo", "nope"):  # the same answer whether the site exists or not
        headers = {"X-Moderation-Timestamp": ts, "X-Moderation-Signature": value}
        response = site.client.get(f"/v1/sites/{slug}/comments/c-1", headers=headers)
        assert response.status_code == 401
        assert response.json["error"]["code"] == "malformed_signature"
