"""Test helpers: signed site requests and a real local HTTP callback receiver."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from flask import Flask, current_app

import moderation.jobs as jobs
from moderation.callbacks.models import Delivery
from moderation.classifier.service import init_models
from moderation.extensions import db
from moderation.jobs import InlineDispatcher
from moderation.rules.store import init_rules
from moderation.scoring.sweeper import sweep
from moderation.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, SignatureError, verify
from moderation.signing import signature_headers as sign_headers


def payload(cid: str = "c-1", body: str = "Merci pour cet article", **extra: Any) -> dict[str, Any]:
    """A valid webhook payload."""
    data: dict[str, Any] = {
        "id": cid,
        "article": {"id": "a-1", "url": "https://example.org/a-1", "section": "international"},
        "author": {"id": "u-1", "source": "facebook", "email_verified": True},
        "body": body,
        "language": "fr",
    }
    data.update(extra)
    return data


class SiteClient:
    """Signs requests as a site would, over any client with Flask's test-client API."""

    def __init__(self, client: Any, slug: str, secret: str) -> None:
        self.client, self.slug, self.secret = client, slug, secret

    def post(
        self,
        data: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
    ) -> Any:
        """POST a comment (``raw`` bytes are sent as they are)."""
        body = raw if raw is not None else json.dumps(data).encode()
        hdrs = {"Content-Type": content_type, **sign_headers(self.secret, body)}
        hdrs.update(headers or {})
        return self.client.post(f"/v1/sites/{self.slug}/comments", data=body, headers=hdrs)

    def get(self, cid: str) -> Any:
        """GET a comment record."""
        path = f"/v1/sites/{self.slug}/comments/{cid}"
        return self.client.get(path, headers=sign_headers(self.secret, b"", path))

    def delete(self, cid: str) -> Any:
        """DELETE a comment."""
        path = f"/v1/sites/{self.slug}/comments/{cid}"
        return self.client.delete(path, headers=sign_headers(self.secret, b"", path))


class CallbackReceiver:
    """A real HTTP server on loopback that verifies signatures and records callbacks."""

    def __init__(self) -> None:
        self.secrets: list[str] = []
        self.received: list[dict[str, Any]] = []
        self.rejected: list[str] = []
        self.respond: Callable[[dict[str, Any]], int] = lambda _body: 204
        self.event = threading.Condition()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        """The callback URL to register for a site."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/callback"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = receiver.handle(dict(self.headers), body, self.path)
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def handle(self, headers: dict[str, str], body: bytes, path: str) -> int:
        """Verify, record, answer with ``respond``'s status."""
        try:
            verify(
                self.secrets,
                timestamp=headers.get(TIMESTAMP_HEADER),
                signature=headers.get(SIGNATURE_HEADER),
                body=body,
                path=path,
            )
        except SignatureError as exc:
            self.rejected.append(exc.code)
            return 401
        data = {
            "delivery": headers.get("X-Moderation-Delivery"),
            "headers": headers,
            "raw": body,
            **json.loads(body),
        }
        status = self.respond(data)
        with self.event:
            if 200 <= status < 300:
                self.received.append(data)
            self.event.notify_all()
        return status

    def wait_for(self, count: int, timeout: float = 30.0) -> list[dict[str, Any]]:
        """Block until ``count`` callbacks were accepted."""
        with self.event:
            self.event.wait_for(lambda: len(self.received) >= count, timeout=timeout)
            return list(self.received)

    def __enter__(self) -> CallbackReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def deliver_now(delivery_id: str) -> str:
    """Run the delivery task as a worker would (its own unit of work); the status after."""
    jobs.send(jobs.DELIVER, delivery_id)
    db.session.expire_all()
    return db.session.get_one(Delivery, delivery_id).status


class RecordingJobs:
    """A dispatcher that holds work back, so a test can run it in any order."""

    def __init__(self) -> None:
        self.scored: list[tuple[int, int]] = []
        self.delivered: list[str] = []

    def send(self, name: str, args: list[object], countdown: float | None = None) -> None:
        """Record instead of running."""
        if name == jobs.SCORE:
            self.scored.append((int(args[0]), int(args[1])))  # type: ignore[call-overload]
        elif name == jobs.DELIVER:
            self.delivered.append(str(args[0]))


def score_now(comment_id: int, revision: int) -> None:
    """Run the scoring task as a worker would, whatever dispatcher the app has."""
    InlineDispatcher(current_app.extensions["celery"]).send(jobs.SCORE, [comment_id, revision])
    db.session.expire_all()


def reconfigure(app: Flask, **settings: Any) -> None:
    """Change settings behind process resources and rebuild them, as a restart would."""
    app.config.update(settings)
    models = init_models(app)
    init_rules(app, thresholds_provider=models.named_thresholds)


def sweep_now() -> dict[str, int]:
    """One sweep as the beat task runs it: its own unit of work, jobs sent after commit."""
    counts = sweep(db.session)
    db.commit()
    return counts
