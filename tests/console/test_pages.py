"""Console pages over the test client: sign-in, CSRF, CSP, cards, decisions, undo."""

from __future__ import annotations

import json

import pytest

from moderation.accounts.service import revoke_user
from moderation.callbacks.models import Delivery
from moderation.extensions import db
from moderation.queue.models import ReviewItem
from tests.console.conftest import csrf_of, make_moderator, seen, sign_in


def test_console_redirects_to_login_and_sets_csp(console_app):
    client = console_app.test_client()
    answer = client.get("/console/")
    assert answer.status_code == 302 and "/console/login" in answer.headers["Location"]
    page = client.get("/console/login")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/console" in cookie


def test_bad_password_is_refused(console_app):
    make_moderator("alice")
    client = console_app.test_client()
    token = csrf_of(client.get("/console/login").get_data(as_text=True))
    answer = client.post(
        "/console/login", data={"name": "alice", "password": "wrong", "csrf_token": token}
    )
    assert answer.status_code == 401
    assert "Nom ou mot de passe incorrect" in answer.get_data(as_text=True)


def test_login_without_csrf_is_403(console_app):
    make_moderator("alice")
    answer = console_app.test_client().post(
        "/console/login", data={"name": "alice", "password": "x"}
    )
    assert answer.status_code == 403
    assert "text/html" in answer.headers["Content-Type"]


def test_queue_shows_cards_and_decides_with_held_callback(console_app, held, receiver):
    make_moderator("alice")
    alice = sign_in(console_app, "alice")
    page = alice.client.get("/console/queue/pending").get_data(as_text=True)
    assert page.count('<article class="card') == 3
    assert "<mark" in page and "idiot</mark>" in page
    item = db.session.query(ReviewItem).filter_by(status="open").order_by(ReviewItem.id).first()
    answer = alice.post(
        "/console/decide", {"items": str(item.id), "action": "approve", "versions": seen(item.id)}
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    trigger = json.loads(answer.headers["HX-Trigger"])
    assert trigger["mod:decided"]["items"] == [item.id]
    db.session.expire_all()
    delivery = db.session.query(Delivery).filter_by(comment_id=item.comment_id).all()[-1]
    assert delivery.status == "pending" and delivery.attempts == 0  # held for the window
    undone = alice.post("/console/undo", {"items": str(item.id)})
    assert undone.status_code == 200, undone.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ReviewItem, item.id).status == "open"
    assert db.session.get(Delivery, delivery.id).status == "superseded"


def test_post_without_csrf_header_is_403(console_app, held):
    make_moderator("alice")
    alice = sign_in(console_app, "alice")
    answer = alice.client.post("/console/decide", data={"items": "1", "action": "approve"})
    assert answer.status_code == 403


def test_revoked_user_is_signed_out_at_once(console_app, held):
    make_moderator("alice")
    alice = sign_in(console_app, "alice")
    revoke_user(db.session, name="alice")
    db.commit()
    answer = alice.client.get("/console/queue/pending")
    assert answer.status_code == 302 and "/console/login" in answer.headers["Location"]


def test_embedded_setup_without_secret_key_signs_in_and_keeps_site_secrets(tmp_path):
    from moderation.app import create_app
    from moderation.dbcli import upgrade
    from moderation.sites.service import add_site, get_site, valid_secrets

    path = tmp_path / "embedded.sqlite"
    config = {
        "DATABASE_URL": f"sqlite:///{path}",
        "SECRET_KEY": "",
        "SECRET_KEY_FILE": str(tmp_path / "secret.key"),
        "CELERY_BROKER_URL": "memory://",
        "SCORING": "inline",
        "RATE_LIMITS_ENABLED": False,
        "ALLOW_PRIVATE_CALLBACKS": True,
        "RULES_DIR": str(tmp_path / "rules"),
        "MODELS_DIR": str(tmp_path / "models"),
    }
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "house.yaml").write_text("default: approve\nrules: []\n")
    first = create_app(config)
    with first.app_context():
        upgrade()
        _, secret = add_site(db.session, slug="demo", callback_url="http://127.0.0.1:9/cb")
        make_moderator("alice")
        db.engine.dispose()
    fresh = create_app(config)  # a new process: the console is the first to read the key
    with fresh.app_context():
        assert sign_in(fresh, "alice").name == "alice"
        assert secret in valid_secrets(get_site(db.session, "demo"))
        db.remove()
        db.engine.dispose()


@pytest.mark.parametrize(("proxies", "secure"), [(0, False), (1, True)])
def test_secure_cookie_behind_https_only_trusting_configured_proxies(
    tmp_path, migrated_sqlite, proxies, secure
):
    import shutil

    from tests.helpers import make_app

    shutil.copy(migrated_sqlite, tmp_path / "db.sqlite")
    app = make_app(f"sqlite:///{tmp_path}/db.sqlite", tmp_path, PROXIES=proxies)
    page = app.test_client().get("/console/login", headers={"X-Forwarded-Proto": "https"})
    assert ("; Secure" in page.headers["Set-Cookie"]) is secure
    forced = make_app(f"sqlite:///{tmp_path}/db.sqlite", tmp_path, COOKIE_SECURE="1")
    assert "; Secure" in forced.test_client().get("/console/login").headers["Set-Cookie"]
