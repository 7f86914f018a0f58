"""The demo's receiver: it keeps signed callbacks and refuses the rest."""

from __future__ import annotations

import json

import requests

from moderation.demo_receiver import Receiver
from moderation.signing import signature_headers


def _post(receiver: Receiver, secret: str, body: bytes) -> int:
    headers = signature_headers(secret, "POST", "/callback", body)
    return requests.post(receiver.url, data=body, headers=headers, timeout=5).status_code


def test_signed_callbacks_are_kept_and_the_rest_refused() -> None:
    body = json.dumps({"comment": {"id": "c-1", "status": "approved"}}).encode()
    with Receiver(["s3cret"]) as receiver:
        assert _post(receiver, "wrong", body) == 401
        assert _post(receiver, "s3cret", b"[1]") == 400
        assert _post(receiver, "s3cret", body) == 204
        received = receiver.wait_for(1, timeout=5)
    assert [r["comment"]["id"] for r in received] == ["c-1"]
    assert receiver.rejected == ["invalid_signature", "malformed"]
