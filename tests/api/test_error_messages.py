"""Error messages say what the limit or the allowed values are (15.8)."""

from __future__ import annotations

from tests.helpers import payload


def test_an_oversize_request_states_both_limits(site):
    response = site.post(payload(body="x" * 70_000))
    assert response.status_code == 413
    error = response.json["error"]
    assert error["code"] == "payload_too_large"
    assert error["message"] == (
        "Request body is over the 65536-byte limit (comment text may have up to 10000 characters)."
    )


def test_a_text_over_the_limit_states_the_limit(site):
    response = site.post(payload(body="é" * 10_001))
    assert response.status_code == 413
    assert "10000 characters" in response.json["error"]["message"]


def test_an_unknown_reason_code_lists_the_allowed_ones(site, alice):
    site.post(payload(body="Un argument douteux"))
    item_id = alice.page()["items"][0]["id"]
    bad = alice.post(f"/v1/queue/{item_id}/resolve", {"action": "reject", "reason": "vibes"})
    assert bad.status_code == 400
    message = bad.json["error"]["fields"]["reason"][0]
    assert message.startswith("Unknown reason code; allowed: ")
    allowed = message.removeprefix("Unknown reason code; allowed: ").rstrip(".").split(", ")
    assert {"insult", "spam", "other", "links", "premod"} <= set(allowed)  # config + house rules
    assert allowed == sorted(allowed)
    assert bad.json["error"]["message"] == message
