"""Console sessions end on the server: logout, a new password, revocation, inactivity, age."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from moderation.accounts.models import ConsoleSession
from moderation.accounts.service import hash_token, revoke_user, set_password
from moderation.accounts.sessions import TOUCH
from moderation.db import utcnow
from moderation.extensions import db
from tests.console.conftest import make_moderator, sign_in

COOKIE = "moderation_console"
PAGE = "/console/queue/pending"


def copy_of(app, browser):
    """Another client carrying the same cookie (as a thief with a copy would)."""
    cookie = browser.client.get_cookie(COOKIE, path="/console")
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie.value, path="/console")
    return thief


def signed_out(client) -> bool:
    answer = client.get(PAGE)
    return answer.status_code == 302 and "/console/login" in answer.headers["Location"]


def age(**changes: dt.timedelta) -> None:
    """Move every session's times back by the given amounts."""
    values = {column: utcnow() - delta for column, delta in changes.items()}
    db.session.execute(update(ConsoleSession).values(**values))
    db.commit()


@pytest.fixture
def alice(console_app):
    make_moderator("alice")
    return sign_in(console_app, "alice")


def test_a_copied_cookie_stops_working_after_logout(console_app, alice):
    thief = copy_of(console_app, alice)
    assert thief.get(PAGE).status_code == 200
    assert alice.post("/console/logout", htmx=False).status_code == 302
    assert signed_out(thief) and signed_out(alice.client)


def test_logout_ends_only_the_current_session(console_app, alice):
    other = sign_in(console_app, "alice")  # the same person on a second computer
    alice.post("/console/logout", htmx=False)
    assert other.client.get(PAGE).status_code == 200


@pytest.mark.parametrize("how", ["password", "revoke"])
def test_a_new_password_or_a_revocation_ends_every_session(console_app, alice, how):
    thief, other = copy_of(console_app, alice), sign_in(console_app, "alice")
    if how == "password":
        set_password(db.session, name="alice", password="another long password")
    else:
        revoke_user(db.session, name="alice")
    db.commit()
    assert db.session.scalar(select(func.count()).select_from(ConsoleSession)) == 0
    assert signed_out(thief) and signed_out(alice.client) and signed_out(other.client)


def test_an_idle_session_ends(console_app, alice):
    age(last_seen_at=dt.timedelta(minutes=59))
    assert alice.client.get(PAGE).status_code == 200  # activity: the idle clock restarts
    age(last_seen_at=dt.timedelta(minutes=61))
    assert signed_out(alice.client)


def test_the_idle_timeout_is_a_setting(console_app, alice):
    console_app.config["SESSION_IDLE_MINUTES"] = 5.0
    age(last_seen_at=dt.timedelta(minutes=6))
    assert signed_out(alice.client)


def test_activity_keeps_a_session_and_is_written_at_most_once_a_minute(console_app, alice):
    age(last_seen_at=TOUCH * 2)
    alice.client.get(PAGE)
    seen = db.session.scalar(select(ConsoleSession.last_seen_at))
    assert seen is not None and utcnow() - seen < TOUCH
    age(last_seen_at=TOUCH / 2)
    before = db.session.scalar(select(ConsoleSession.last_seen_at))
    alice.client.get(PAGE)
    db.session.expire_all()
    assert db.session.scalar(select(ConsoleSession.last_seen_at)) == before


def test_a_session_ends_after_its_lifetime_however_active(console_app, alice):
    age(created_at=dt.timedelta(hours=12, minutes=1), last_seen_at=dt.timedelta(seconds=1))
    assert signed_out(alice.client)


def test_the_table_holds_only_a_hash_of_the_cookie_token(console_app, alice):
    with console_app.test_request_context():
        cookie = alice.client.get_cookie(COOKIE, path="/console").value
        data = console_app.session_interface.get_signing_serializer(console_app).loads(cookie)
    stored = db.session.scalar(select(ConsoleSession.id))
    assert stored == hash_token(data["sid"]) and data["sid"] not in stored
