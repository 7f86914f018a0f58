"""Secrets and tokens never reach the logs, whatever happens."""

from __future__ import annotations

import io
import logging

from moderation.logs import JsonFormatter
from tests.helpers import payload


def test_site_secrets_and_bearer_tokens_are_never_logged(app, site, alice, receiver):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())  # every extra field is written out too
    logger = logging.getLogger("moderation")
    logger.addHandler(handler)
    old_level, logger.level = logger.level, logging.DEBUG
    try:
        site.post(payload(body="Un argument douteux"))  # held, so there is something to resolve
        site.post(payload("c-2", body="x" * 20_000))  # refused: 413
        receiver.respond = lambda _body: 500  # failing callbacks get logged
        item = alice.page()["items"][0]
        alice.post(f"/v1/queue/{item['id']}/resolve", {"action": "reject", "reason": "insult"})
        alice.client.get("/v1/queue", headers={"Authorization": f"Bearer {alice.token}x"})  # 401
        site.client.post(
            "/v1/sites/demo/comments", data=b"{", headers={"X-Moderation-Signature": "sha256=0"}
        )
    finally:
        logger.removeHandler(handler)
        logger.level = old_level
    logged = stream.getvalue()
    assert "callback attempt" in logged  # the logs did capture the flow
    assert site.secret not in logged
    assert alice.token not in logged
