"""Item versions: a decision names what it saw; an item changed since is refused (409)."""

from __future__ import annotations

from moderation.extensions import db
from moderation.queue.models import ReviewItem
from tests.helpers import payload


def _held(site, cid="c-1"):
    assert site.post(payload(cid, body="Un argument douteux")).status_code == 202


def test_api_resolve_with_the_listed_version_works_and_a_stale_one_is_409(site, alice, bob):
    _held(site)
    item = alice.page()["items"][0]
    version = item["version"]
    assert version.startswith("1.")  # revision 1, then the stamp
    # Bob decides, alice's undo-less API client still holds the old listing.
    assert bob.post(f"/v1/queue/{item['id']}/resolve", {"action": "approve"}).status_code == 200
    stale = alice.post(
        f"/v1/queue/{item['id']}/resolve",
        {"action": "reject", "reason": "insult", "version": version},
    )
    assert stale.status_code == 409
    assert stale.json["error"]["code"] == "stale_version"
    assert stale.json["error"]["fields"] == {
        f"items.{item['id']}": [f"Item {item['id']} changed since you saw it (resolved)."]
    }


def test_api_resolve_at_the_current_version_decides(site, alice):
    _held(site)
    item = alice.page()["items"][0]
    done = alice.post(
        f"/v1/queue/{item['id']}/resolve", {"action": "approve", "version": item["version"]}
    )
    assert done.status_code == 200, done.json
    assert db.session.get(ReviewItem, item["id"], populate_existing=True).status == "resolved"


def test_a_new_revision_moves_the_version_on(site, alice):
    _held(site)
    before = alice.page()["items"][0]
    assert site.post(payload("c-1", body="Un argument douteux, revu")).status_code == 202
    after = alice.page()["items"][0]
    assert after["version"] != before["version"]
    stale = alice.post(
        f"/v1/queue/{after['id']}/resolve", {"action": "approve", "version": before["version"]}
    )
    assert stale.status_code == 409
