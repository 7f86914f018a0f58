"""Live updates for open consoles: Redis pub/sub fed after commit, read as Server-Sent Events.

An event is only a hint ("item 12 was decided by alice"): on each one the page asks
the database for the state of the cards it shows (``/console/sync``), which is also
what it polls every few seconds when there is no Redis (the embedded setup). So no
event carries anything the database does not confirm, and a lost event costs nothing
but a little delay.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import redis
from flask import current_app

from moderation.accounts.service import active_user
from moderation.events import CHANNEL
from moderation.extensions import db

log = logging.getLogger(__name__)


def live_enabled() -> bool:
    """Whether this app can stream events (it has Redis)."""
    return current_app.extensions.get("redis") is not None


def stream(user_id: int) -> Iterator[str]:
    """SSE lines: each event, a heartbeat comment when idle, until the stream's time is up.

    The stream ends after ``STREAM_SECONDS`` (the browser reconnects at once), and on
    a revoked user, so one request never holds a worker thread for long.
    """
    config = current_app.config
    client: redis.Redis = current_app.extensions["redis"]
    pubsub = client.pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call, unused-ignore]  # typed from redis 8
    pubsub.subscribe(CHANNEL)
    deadline = time.monotonic() + float(config["STREAM_SECONDS"])
    beat = float(config["STREAM_HEARTBEAT_SECONDS"])
    try:
        yield "retry: 2000\n\n"
        while time.monotonic() < deadline:
            message = pubsub.get_message(timeout=beat)
            if message is None:
                if not _still_active(user_id):
                    return
                yield ": heartbeat\n\n"
                continue
            data = message["data"]
            text = data.decode() if isinstance(data, bytes) else str(data)
            yield f"event: change\ndata: {text}\n\n"
    except (redis.RedisError, OSError) as exc:
        log.warning("console stream lost Redis", extra={"error": str(exc)})
    finally:
        pubsub.close()
        db.remove()


def _still_active(user_id: int) -> bool:
    try:
        return active_user(db.session, user_id) is not None
    finally:
        db.remove()  # never hold a connection (or a transaction) across the idle wait
