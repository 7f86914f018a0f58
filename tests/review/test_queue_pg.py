"""Two moderators on real PostgreSQL, over HTTP, with a real worker: exactly one wins each race."""

from __future__ import annotations

import threading

import pytest
import requests
from sqlalchemy import func, select

from moderation.accounts.service import add_user
from moderation.comments.models import Decision
from moderation.extensions import db
from tests.helpers import payload
from tests.test_real_path import count, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_concurrent_resolutions_have_exactly_one_winner(http_site, web, worker, receiver):
    tokens = {
        name: add_user(db.session, name=name, role="moderator")[1] for name in ("alice", "bob")
    }
    db.session.commit()
    total = 12
    for i in range(total):
        assert http_site.post(payload(f"h-{i}", body=f"Un argument douteux {i}")).status_code == 202

    def page():
        headers = {"Authorization": f"Bearer {tokens['alice']}"}
        return requests.get(
            f"{web}/v1/queue", params={"limit": 50}, headers=headers, timeout=10
        ).json()

    assert wait_until(lambda: len(page()["items"]) == total, timeout=60)
    outcomes: dict[int, dict[str, int]] = {}
    for item in page()["items"]:
        barrier = threading.Barrier(2)
        results: dict[str, int] = {}

        def resolve(name, action, item_id=item["id"], barrier=barrier, results=results):
            headers = {"Authorization": f"Bearer {tokens[name]}"}
            barrier.wait()
            url = f"{web}/v1/queue/{item_id}/resolve"
            body = {"action": action, "reason": "insult"}
            results[name] = requests.post(url, json=body, headers=headers, timeout=10).status_code

        threads = [
            threading.Thread(target=resolve, args=a)
            for a in (("alice", "reject"), ("bob", "approve"))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        outcomes[item["id"]] = results
    for results in outcomes.values():
        assert sorted(results.values()) == [200, 409], results
    human = (
        select(func.count()).select_from(Decision).where(Decision.decided_by.like("moderator:%"))
    )
    db.session.rollback()
    assert db.session.scalar(human) == total
    assert count(Decision) == 2 * total  # one automatic, one human each

    def finals():
        humans = [c["comment"] for c in receiver.received if c["comment"]["decided_by"] != "auto"]
        return {c["id"]: c for c in humans}

    assert wait_until(lambda: len(finals()) == total, timeout=60)
    for comment in finals().values():
        assert comment["status"] in ("rejected", "approved")
