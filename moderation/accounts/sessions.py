"""Console sessions kept server-side: a cookie names one, and it ends when the row does.

Logout ends the current session; a new password or a revocation ends all of the
user's (``service.end_user_sessions``); an idle or too old session ends by itself. A
copied cookie stops with it.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import delete
from sqlalchemy.orm import Session

from moderation.accounts.models import ConsoleSession, User
from moderation.accounts.service import hash_token
from moderation.db import utcnow

# Activity is written at most this often: a page load is not a write each time.
TOUCH = dt.timedelta(seconds=60)


def start_session(session: Session, user: User, *, idle: dt.timedelta) -> str:
    """A new session for ``user``; its token (for the cookie only)."""
    now = utcnow()
    # The user's sessions that went idle are gone anyway: drop their rows.
    session.execute(
        delete(ConsoleSession).where(
            ConsoleSession.user_id == user.id, ConsoleSession.last_seen_at < now - idle
        )
    )
    token = secrets.token_urlsafe(32)
    session.add(
        ConsoleSession(id=hash_token(token), user_id=user.id, created_at=now, last_seen_at=now)
    )
    session.flush()
    return token


def live_session(
    session: Session, token: str, *, idle: dt.timedelta, lifetime: dt.timedelta
) -> ConsoleSession | None:
    """The session this token names, if it has neither ended nor expired; marks it active."""
    found = session.get(ConsoleSession, hash_token(token))
    now = utcnow()
    if found is None or now - found.last_seen_at > idle or now - found.created_at > lifetime:
        return None
    if now - found.last_seen_at > TOUCH:
        found.last_seen_at = now
        session.flush()
    return found


def end_session(session: Session, token: str) -> None:
    """End one session (logout)."""
    session.execute(delete(ConsoleSession).where(ConsoleSession.id == hash_token(token)))
