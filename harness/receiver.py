"""The site's callback endpoint for tests and benchmarks: the demo's, with counters and faults."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from moderation import demo_receiver
from moderation.signing import SignatureError

DELIVERY_HEADER = demo_receiver.DELIVERY_HEADER


class Receiver(demo_receiver.Receiver):
    """The demo's receiver that also dedups deliveries; ``mode`` makes it misbehave."""

    def __init__(self, secrets: Iterable[str] = (), port: int = 0, check: bool = True) -> None:
        super().__init__(secrets, port, check)
        self.respond: Callable[[dict[str, Any]], int] = lambda _data: 204
        self.mode = "up"  # "503": answer 503; "hang": accept, answer only once it ends
        self.unhang = threading.Event()
        self.deliveries: dict[str, Any] = {}  # X-Moderation-Delivery -> its comment
        self.by_comment: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        self.arrivals: list[float] = []  # wall-clock time of each new delivery
        self.duplicates = self.requests = self.refused = self.hung = 0

    def handle(self, headers: dict[str, str], body: bytes, path: str) -> int:
        """Verify, record, answer with ``respond``'s status (or fail as ``mode`` says)."""
        with self.lock:
            self.requests += 1
            mode = self.mode
            self.refused += mode == "503"
            self.hung += mode == "hang"
        if mode == "hang":
            self.unhang.wait(60)  # the sender's timeout ends its wait first
            return 503
        if mode == "503":
            return 503
        try:
            data = self.parse(headers, body, path)
        except SignatureError as exc:
            return self.reject(exc.code, 401)
        except ValueError:
            return self.reject("malformed", 400)
        status = self.respond(data)
        if 200 <= status < 300:
            self.record(data)
        return status

    def record(self, data: dict[str, Any]) -> None:
        """Keep an accepted callback, counting a delivery seen before as a duplicate."""
        delivery, comment = data["delivery"], data.get("comment")
        with self.lock:
            self.received.append(data)
            self.lock.notify_all()
            if delivery in self.deliveries:
                self.duplicates += 1
                return
            self.deliveries[delivery] = comment
            self.arrivals.append(time.time())
            if isinstance(comment, dict) and "id" in comment:
                entry = (int(comment["revision"]), str(comment["status"]), str(delivery))
                self.by_comment[str(comment["id"])].append(entry)

    def got(self, cid: str, revision: int, status: str) -> bool:
        """Whether a callback for this revision with this status arrived."""
        with self.lock:
            return any(r == revision and s == status for r, s, _ in self.by_comment.get(cid, ()))
