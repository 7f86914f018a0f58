"""Smoke: a signed comment is stored, decided and reported back."""

from tests.helpers import payload


def test_comment_is_decided_and_called_back(site, receiver):
    response = site.post(payload())
    assert response.status_code == 202, response.json
    record = site.get("c-1").json
    assert record["status"] == "approved"
    assert record["decision"]["decided_by"] == "auto"
    got = receiver.wait_for(1, timeout=5)
    assert got[0]["comment"] == {
        "id": "c-1",
        "revision": 1,
        "status": "approved",
        "reason": None,
        "decided_by": "auto",
    }
