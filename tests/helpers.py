"""Test factories: an app, payloads, house rules, signed site requests (in process, HTTP), users."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask, current_app

import moderation.jobs as jobs
from moderation.accounts.service import add_user
from moderation.app import create_app
from moderation.callbacks.models import Delivery
from moderation.classifier.service import init_models
from moderation.extensions import db
from moderation.jobs import InlineDispatcher
from moderation.rules.store import init_rules
from moderation.scoring.sweeper import sweep
from moderation.signing import signature_headers as sign_headers

#: The checkout: rules/, models/, docs/, pyproject.toml are read from here.
ROOT = Path(__file__).resolve().parents[1]
EMPTY_RULES = "default: approve\nrules: []\n"
# CI sets this: integration tests must run there, never skip for want of a service.
REQUIRED = os.environ.get("MODERATION_REQUIRE_SERVICES") == "1"

# House rules for the review-queue tests (unit and integration).
QUEUE_RULES = """
default: approve
rules:
  - id: banned
    priority: 1000
    if: {author: {sanction: ban}}
    then: reject
    reason: banned
  - id: premod
    priority: 30
    if: {author: {sanction: premoderate}}
    then: review
    reason: premod
  - id: reader-reports
    priority: 20
    if: {history: {flags: ">= 3"}}
    then: review
    reason: reported
  - id: links
    priority: 10
    if: {body: {has_link: true}}
    then: review
    reason: links
  - id: doubtful
    if: {body: {words: [douteux, louche]}}
    then: review
    reason: insult
"""


def unavailable(what: str, exc: object) -> None:
    """Skip the test for want of a service (fail under ``MODERATION_REQUIRE_SERVICES=1``)."""
    message = f"{what} unavailable: {exc}"
    if REQUIRED:
        pytest.fail(message)
    pytest.skip(message)


def make_app(database_url: str, tmp_path: Path, **overrides: object) -> Flask:
    """An app configured for tests: inline jobs, loopback callbacks allowed, no model."""
    rules = tmp_path / "rules"
    if not rules.exists():
        rules.mkdir()
        (rules / "house.yaml").write_text(EMPTY_RULES)
    models = tmp_path / "models"
    models.mkdir(exist_ok=True)
    config = {
        "DATABASE_URL": database_url,
        "SCORING": "inline",
        # One revision per task: tests hold tasks back and run them in a chosen order.
        "SCORING_BATCH": 1,
        "ALLOW_PRIVATE_CALLBACKS": True,
        "SECRET_KEY": "test-secret-key",
        "CELERY_BROKER_URL": "memory://",
        "RULES_DIR": str(rules),
        "MODELS_DIR": str(models),
        "CALLBACK_TIMEOUT_SECONDS": 5.0,
        "LOG_LEVEL": "WARNING",
        # Limits have their own tests; elsewhere they would only add noise.
        "RATE_LIMITS_ENABLED": False,
    }
    config.update(overrides)
    return create_app(config)


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
        path = f"/v1/sites/{self.slug}/comments"
        hdrs = {"Content-Type": content_type, **sign_headers(self.secret, "POST", path, body)}
        hdrs.update(headers or {})
        return self.client.post(path, data=body, headers=hdrs)

    def get(self, cid: str) -> Any:
        """GET a comment record."""
        path = f"/v1/sites/{self.slug}/comments/{cid}"
        return self.client.get(path, headers=sign_headers(self.secret, "GET", path))

    def delete(self, cid: str) -> Any:
        """DELETE a comment."""
        path = f"/v1/sites/{self.slug}/comments/{cid}"
        return self.client.delete(path, headers=sign_headers(self.secret, "DELETE", path))


class HttpSite(SiteClient):
    """SiteClient over real HTTP with requests."""

    class _Requests:
        def __init__(self, base: str) -> None:
            self.base = base

        def post(self, path: str, data: bytes, headers: dict[str, str]) -> requests.Response:
            return requests.post(self.base + path, data=data, headers=headers, timeout=10)

        def get(self, path: str, headers: dict[str, str]) -> requests.Response:
            return requests.get(self.base + path, headers=headers, timeout=10)

        def delete(self, path: str, headers: dict[str, str]) -> requests.Response:
            return requests.delete(self.base + path, headers=headers, timeout=10)

    def __init__(self, base: str, slug: str, secret: str) -> None:
        super().__init__(self._Requests(base), slug, secret)


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
        self.deliver_messages = 0

    def send(self, name: str, args: list[object], countdown: float | None = None) -> None:
        """Record instead of running."""
        if name == jobs.SCORE:
            self.scored.append((int(args[0]), int(args[1])))  # type: ignore[call-overload]
        elif name == jobs.DELIVER:
            ids = args[0] if isinstance(args[0], list) else [args[0]]
            self.delivered.extend(str(i) for i in ids)
            self.deliver_messages += 1


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


def in_threads(work: Callable[[int], None], count: int, timeout: float = 60) -> list[BaseException]:
    """Run ``work(n)`` in ``count`` threads at once, each in the current app's context; errors."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    errors: list[BaseException] = []

    def run(n: int) -> None:
        with app.app_context():
            try:
                work(n)
            except BaseException as exc:  # pragma: no cover - the caller asserts none
                errors.append(exc)
            finally:
                db.remove()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return errors


@dataclass
class Moderator:
    """An API user with a bearer token."""

    client: Any
    name: str
    token: str

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **params: Any) -> Any:
        """GET with the token."""
        return self.client.get(path, query_string=params, headers=self._headers())

    def post(self, path: str, body: Any = None) -> Any:
        """POST JSON with the token."""
        return self.client.post(
            path, json=body if body is not None else {}, headers=self._headers()
        )

    def page(self, **params: Any) -> dict[str, Any]:
        """A queue page (asserts 200)."""
        response = self.get("/v1/queue", **params)
        assert response.status_code == 200, response.json
        return response.json  # type: ignore[no-any-return]


def api_user(app: Flask, name: str, role: str) -> Moderator:
    """A new user with ``role`` and a client holding their token."""
    _, token = add_user(db.session, name=name, role=role)
    return Moderator(app.test_client(), name, token)


def flag(
    site: SiteClient, cid: str, reporter: str, source: str = "native", reason: str = "insult"
) -> Any:
    """A signed reader report on ``cid``."""
    path = f"/v1/sites/{site.slug}/comments/{cid}/flags"
    body = {"reporter": {"id": reporter, "source": source}, "reason": reason}
    raw = json.dumps(body).encode()
    headers = {"Content-Type": "application/json", **sign_headers(site.secret, "POST", path, raw)}
    return site.client.post(path, data=raw, headers=headers)


def make_regular(site: SiteClient, reporter: str, approved: int = 3) -> None:
    """A reader with a history of approved comments (trust 1), verified e-mail."""
    for i in range(approved):
        author = {"id": reporter, "source": "native", "email_verified": True}
        site.post(payload(f"{reporter}-{i}", body=f"Bon article {i}", author=author))
