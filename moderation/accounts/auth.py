"""Bearer-token guard for moderator and admin routes (401 and 403 in the one error shape)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, request

from moderation.accounts.service import authenticate
from moderation.api import Access
from moderation.exceptions import Forbidden, Unauthenticated
from moderation.extensions import db

F = TypeVar("F", bound=Callable[..., Any])

#: Which roles may call a route that requires a given role.
ALLOWED = {"moderator": ("moderator", "admin"), "admin": ("admin",)}


def require_role(role: str) -> Callable[[F], F]:
    """Only an active user with ``role`` (admins can do all a moderator can) gets through."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise Unauthenticated("A bearer token is required.")
            user = authenticate(db.session, token.strip())
            if user is None:
                raise Unauthenticated("Unknown or revoked token.")
            if user.role not in ALLOWED[role]:
                raise Forbidden(f"This needs the {role} role.")
            g.user = user
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


MODERATOR = Access("moderator", require_role("moderator"))
ADMIN = Access("admin", require_role("admin"))
