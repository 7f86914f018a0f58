"""Accounts: tokens shown once, stored as SHA-256 (they are 256-bit random, so no KDF needed)."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from moderation.accounts.models import ROLES, ConsoleSession, User
from moderation.db import utcnow
from moderation.exceptions import Invalid


class AccountError(Invalid):
    """An account command was given bad input."""


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(session: Session, *, name: str, role: str) -> tuple[User, str]:
    """Create a user; return it with its bearer token (shown once)."""
    if role not in ROLES:
        raise AccountError(f"Role must be one of {', '.join(ROLES)}.")
    # "moderator:" + name is the actor stored with decisions, events and sanctions
    # (VARCHAR(120) columns): a longer name would make that user's every action fail.
    if not name or len(name) > 110:
        raise AccountError("Name must be 1 to 110 characters.")
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise AccountError(f"User {name!r} already exists.")
    token = "mod_" + secrets.token_urlsafe(32)
    user = User(name=name, role=role, token_hash=hash_token(token))
    session.add(user)
    session.flush()
    return user, token


def revoke_user(session: Session, *, name: str) -> User:
    """Revoke a user's token at once."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise AccountError(f"No user {name!r}.")
    user.revoked_at = utcnow()
    end_user_sessions(session, user)
    session.flush()
    return user


def end_user_sessions(session: Session, user: User) -> None:
    """End every console session of ``user`` (new password, revocation), wherever it is."""
    session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))


def authenticate(session: Session, token: str) -> User | None:
    """The active user holding this token, if any."""
    user = session.scalar(select(User).where(User.token_hash == hash_token(token)))
    return user if user is not None and user.revoked_at is None else None


#: Console passwords must be at least this long (a slow KDF does not save a short one).
MIN_PASSWORD = 10
# Compared against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-password", method="scrypt")


def set_password(session: Session, *, name: str, password: str) -> User:
    """Store a console password for ``name`` as a scrypt hash."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise AccountError(f"No user {name!r}.")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"The password must be at least {MIN_PASSWORD} characters.")
    user.password_hash = generate_password_hash(password, method="scrypt")
    end_user_sessions(session, user)
    session.flush()
    return user


def check_password(session: Session, *, name: str, password: str) -> User | None:
    """The active user with this name and password, if any (constant work either way)."""
    user = session.scalar(select(User).where(User.name == name))
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    valid = check_password_hash(stored, password)
    if user is None or user.password_hash is None or user.revoked_at is not None or not valid:
        return None
    return user


def active_user(session: Session, user_id: int) -> User | None:
    """The user behind a console session, None once revoked or removed."""
    user = session.get(User, user_id)
    return user if user is not None and user.revoked_at is None else None
