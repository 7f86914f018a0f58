"""A site posting signed comments at a steady rate, retrying like a real one until a 2xx."""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from bench._faults.options import SENTENCES, SLUG, Options
from moderation.signing import url_headers


class Client:
    """A site posting signed comments at a steady rate, retrying until it gets a 2xx."""

    def __init__(self, base: str, secret: str, opts: Options, stop: threading.Event) -> None:
        self.url = f"{base}/v1/sites/{SLUG}/comments"
        self.stop = stop
        self.secret, self.opts = secret, opts
        self.rng = random.Random(opts.seed)
        self.lock = threading.Lock()
        self.accepted: dict[str, list[str]] = {}  # comment id -> bodies acknowledged, in order
        self.idle: list[str] = []  # accepted and not being revised right now
        self.retries = Counter[str]()
        self.responses = Counter[int]()
        self.unexpected: list[str] = []
        self.gave_up: list[str] = []
        self.latencies: list[float] = []
        self.sent = 0
        self.revisions_sent = 0
        self.in_flight = 0

    def _body(self, n: int, revision: int) -> str:
        sentence = self.rng.choice(SENTENCES)
        tag = f" (version {revision}, {uuid.uuid4().hex[:6]})" if revision > 1 else ""
        return f"Commentaire {n} : {sentence}{tag}"

    def next_request(self, n: int) -> tuple[str, dict[str, Any]]:
        """The n-th request: a new comment, or (about 10 %) a new revision of an accepted one."""
        with self.lock:
            revise = self.idle and self.rng.random() < self.opts.revision_share
            if revise:
                cid = self.idle.pop(self.rng.randrange(len(self.idle)))
                revision = len(self.accepted[cid]) + 1
                self.revisions_sent += 1
            else:
                cid, revision = f"f-{n}", 1
            self.sent += 1
            self.in_flight += 1
        number = int(cid.split("-")[1])
        data = {
            "id": cid,
            "article": {"id": f"a-{number % 20}", "section": "politique"},
            "author": {"id": f"u-{number % 150}", "source": "site", "email_verified": True},
            "body": self._body(number, revision),
            "language": "fr",
        }
        return cid, data

    def send(self, cid: str, data: dict[str, Any]) -> None:
        """POST until a 2xx (or a non-retryable answer, or ``client_giveup``)."""
        raw = json.dumps(data).encode()
        started = time.monotonic()
        delay = 0.5
        try:
            while True:
                wait = delay
                headers = {
                    "Content-Type": "application/json",
                    **url_headers(self.secret, "POST", self.url, raw),
                }
                try:
                    response = requests.post(self.url, data=raw, headers=headers, timeout=30)
                except requests.RequestException as exc:
                    reason = "timeout" if isinstance(exc, requests.Timeout) else "connection"
                else:
                    with self.lock:
                        self.responses[response.status_code] += 1
                    if 200 <= response.status_code < 300:
                        with self.lock:
                            self.accepted.setdefault(cid, []).append(data["body"])
                            self.idle.append(cid)
                            self.latencies.append(time.monotonic() - started)
                        return
                    if response.status_code != 429 and response.status_code < 500:
                        with self.lock:
                            self.unexpected.append(
                                f"{cid}: HTTP {response.status_code} {response.text[:200]}"
                            )
                            if cid in self.accepted:
                                self.idle.append(cid)
                        return
                    reason = f"HTTP {response.status_code}"
                    after = response.headers.get("Retry-After", "")
                    if after.isdigit():
                        wait = min(float(after), 10.0)
                with self.lock:
                    self.retries[reason] += 1
                if time.monotonic() - started > self.opts.client_giveup or self.stop.is_set():
                    with self.lock:
                        self.gave_up.append(f"{cid}: still failing ({reason})")
                    return
                self.stop.wait(wait * random.uniform(0.8, 1.2))
                delay = min(delay * 2, 5.0)
        finally:
            with self.lock:
                self.in_flight -= 1

    def run(self) -> None:
        """Send ``opts.comments`` requests at ``opts.rate`` per second; return when all are done."""
        started = time.monotonic()
        with ThreadPoolExecutor(self.opts.client_threads, thread_name_prefix="site") as pool:
            for n in range(self.opts.comments):
                if self.stop.wait(max(0.0, started + n / self.opts.rate - time.monotonic())):
                    break
                cid, data = self.next_request(n)
                pool.submit(self._guarded, cid, data)

    def _guarded(self, cid: str, data: dict[str, Any]) -> None:
        try:
            self.send(cid, data)
        except Exception as exc:
            with self.lock:
                self.unexpected.append(f"{cid}: client error {exc!r}")
