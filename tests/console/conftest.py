"""Console fixtures: held comments, moderators with passwords, a signed-in test client."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from moderation.accounts.service import add_user, set_password
from moderation.extensions import db
from tests.helpers import payload, reconfigure

RULES = """
default: approve
rules:
  - id: insults
    description: "Insultes (art. 2)"
    if: {body: {words: [idiot, crétin]}}
    then: review
    reason: insult
  - id: links
    priority: 10
    if: {body: {has_link: true}}
    then: review
    reason: links
"""
PASSWORD = "correct horse battery"


@dataclass
class Browserless:
    """A signed-in console session over Flask's test client."""

    client: Any
    name: str
    csrf: str

    def post(self, path: str, data: dict[str, Any] | None = None, htmx: bool = True) -> Any:
        """POST a form with the CSRF header (as htmx sends it)."""
        headers = {"X-CSRF-Token": self.csrf}
        if htmx:
            headers["HX-Request"] = "true"
        return self.client.post(path, data=data or {}, headers=headers)


def seen(*item_ids: int) -> str:
    """The ``versions`` field a page would send for these items (their versions now)."""
    from moderation.review.versions import current_versions

    found = current_versions(db.session, [int(i) for i in item_ids])
    return " ".join(f"{item_id}:{version}" for item_id, version in found.items())


def csrf_of(html: str) -> str:
    """The CSRF token a page carries."""
    found = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def sign_in(app: Any, name: str, password: str = PASSWORD) -> Browserless:
    """Sign in through the form, as a person would."""
    client = app.test_client()
    token = csrf_of(client.get("/console/login").get_data(as_text=True))
    answer = client.post(
        "/console/login", data={"name": name, "password": password, "csrf_token": token}
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    page = client.get("/console/queue/pending").get_data(as_text=True)
    return Browserless(client, name, csrf_of(page))


@pytest.fixture
def console_app(app, tmp_path):
    """The app with a small house ruleset that holds insults and links."""
    (tmp_path / "rules" / "house.yaml").write_text(RULES)
    reconfigure(app)
    return app


def make_moderator(name: str, role: str = "moderator") -> None:
    """A user with a console password."""
    add_user(db.session, name=name, role=role)
    set_password(db.session, name=name, password=PASSWORD)
    db.commit()


@pytest.fixture
def held(console_app, site):
    """Three held comments: an insult, a reply with a link, and one by another author."""
    ids = []
    for cid, body, extra in (
        ("h-1", "Quel idiot, franchement", {}),
        ("h-2", "Voyez https://spam.example/x", {"parent_id": "h-1"}),
        ("h-3", "Espèce de crétin", {"author": {"id": "u-2", "source": "google"}}),
    ):
        assert site.post(payload(cid, body, **extra)).status_code == 202
        ids.append(cid)
    return ids


# --- Browser tests: a live server and the system Chromium --------------------------------

CHROMIUM = "/usr/bin/chromium"


def _redis_url() -> str:
    import os

    import redis

    url = os.environ.get("TEST_REDIS_URL", "")
    if not url:
        return ""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except (redis.RedisError, OSError):
        return ""
    return url


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (skipped when the system has none)."""
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip("needs /usr/bin/chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    from tests.console.live_server import BROWSER_ARGS

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Live:
    """A running console with a site, a callback receiver and two moderators."""

    url: str
    app: Any
    site: Any
    receiver: Any

    def post(self, cid: str, body: str, **extra: Any) -> None:
        """Post a comment as the site (scored inline)."""
        with self.app.app_context():
            answer = self.site.post(payload(cid, body, **extra))
            assert answer.status_code == 202, answer.get_data(as_text=True)

    def login(self, context: Any, name: str, password: str = PASSWORD) -> Any:
        """A page of ``context`` signed in as ``name``, on the pending queue."""
        page = context.new_page()
        page.goto(f"{self.url}/console/")
        page.fill("#name", name)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/console/queue/pending")
        return page


@pytest.fixture
def live_rules():
    """The house rules of the live server (a test module may override this fixture)."""
    return RULES


@pytest.fixture
def live(tmp_path, migrated_sqlite, live_rules):
    """A live server (werkzeug, threaded) on a fresh database, Redis when reachable."""
    yield from serve_live(tmp_path, migrated_sqlite, live_rules)


@pytest.fixture
def live_scored(tmp_path, migrated_sqlite, trained):
    """The live server with the tiny model promoted: cards show scores and thresholds."""
    from moderation.classifier import artifact
    from moderation.classifier.service import promote

    models = tmp_path / "models"
    folder = artifact.save(trained.model, models)
    promote(models, folder.name)
    yield from serve_live(tmp_path, migrated_sqlite, RULES)


def serve_live(tmp_path: Any, migrated_sqlite: Any, live_rules: str) -> Any:
    """Serve the console with a site, a callback receiver and three users; stop it after."""
    from harness.receiver import Receiver
    from moderation.sites.service import add_site
    from tests.console.live_server import LiveServer, build_app
    from tests.helpers import SiteClient

    app = build_app(
        tmp_path,
        migrated_sqlite,
        live_rules,
        REDIS_URL=_redis_url(),
        UNDO_SECONDS=3.0,
        STREAM_HEARTBEAT_SECONDS=1.0,
        STREAM_SECONDS=30.0,
    )
    with Receiver() as receiver, app.app_context():
        _site, secret = add_site(db.session, slug="demo", callback_url=receiver.url)
        receiver.secrets.append(secret)
        for name, role in (("alice", "moderator"), ("bob", "moderator"), ("root", "admin")):
            make_moderator(name, role)
        db.commit()
        db.remove()
        server = LiveServer(app).start()
        try:
            yield Live(server.url, app, SiteClient(app.test_client(), "demo", secret), receiver)
        finally:
            server.stop()
            db.remove()
            db.engine.dispose()
