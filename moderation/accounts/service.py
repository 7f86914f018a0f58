"""Accounts: tokens shown once, stored as SHA-256 (they are 256-bit random, so no KDF needed)."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.accounts.models import ROLES, User
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
    session.flush()
    return user


def authenticate(session: Session, token: str) -> User | None:
    """The active user holding this token, if any."""
    user = session.scalar(select(User).where(User.token_hash == hash_token(token)))
    return user if user is not None and user.revoked_at is None else None
