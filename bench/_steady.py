"""Steady-rate sending and webhook-to-decision latency, shared by bench/latency and bench/pipeline.

Latency is from the moment a request is sent to the moment its decision is
committed (the decision's ``decided_at``, same clock).
"""

from __future__ import annotations

import http.client
import json
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from harness.procs import wait_until


def webhook(secret: str, cid: str, i: int) -> tuple[bytes, dict[str, str]]:
    """The signed body and headers of comment ``cid`` (``i`` varies its article and author)."""
    from moderation.signing import signature_headers

    body = {
        "id": cid,
        "article": {"id": f"a-{i % 30}"},
        "author": {"id": f"u-{i % 500}", "source": "google"},
        "body": f"Merci pour cet éclairage, point {i} : je partage l'analyse.",
        "language": "fr",
    }
    raw = json.dumps(body).encode()
    return raw, {
        "Content-Type": "application/json",
        **signature_headers(secret, "POST", "/v1/sites/bench/comments", raw),
    }


def post(base: str, raw: bytes, headers: dict[str, str]) -> int:
    """POST one webhook to the ``bench`` site on a new connection (as sites do); its status."""
    host = urlsplit(base)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    try:
        conn.request("POST", "/v1/sites/bench/comments", body=raw, headers=headers)
        return conn.getresponse().status
    finally:
        conn.close()


def send_steadily(
    base: str, secret: str, label: str, rate: float, seconds: float
) -> dict[str, float]:
    """Send ``rate`` comments a second for ``seconds``; return each accepted id's send time."""
    sent: dict[str, float] = {}

    def send(i: int) -> None:
        cid = f"{label}-{i}"
        raw, headers = webhook(secret, cid, i)
        started = time.time()
        if post(base, raw, headers) == 202:
            sent[cid] = started

    total = int(rate * seconds)
    start = time.monotonic()
    with ThreadPoolExecutor(32) as pool:
        for i in range(total):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(send, i)
    return sent


def latencies(app: object, sent: dict[str, float], timeout: float = 180) -> list[float]:
    """Milliseconds from send to committed decision, waiting (bounded) for stragglers."""
    from sqlalchemy import select

    from moderation.comments.models import Comment
    from moderation.extensions import db

    rows: list = []

    def all_decided() -> bool:
        nonlocal rows
        db.session.rollback()  # see the worker's commits
        rows = db.session.execute(
            select(Comment.external_id, Comment.decided_at).where(
                Comment.external_id.in_(list(sent)), Comment.decided_at.is_not(None)
            )
        ).all()
        return len(rows) == len(sent)

    with app.app_context():  # type: ignore[attr-defined]
        wait_until(all_decided, timeout, every=0.5)
        db.remove()
    return [(decided.timestamp() - sent[cid]) * 1000 for cid, decided in rows]
