"""Domain errors: what services raise when a guard fails. Only ``errors.py`` maps them to HTTP.

Services never know about status codes. A view lets these propagate; the request
rolls back and ``errors.py`` renders the one error shape. A task treats ``Stale``
as "the work moved on" (no retry) and lets the rest fail loudly.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A failed guard the caller can act on; ``code`` is the stable machine-readable name."""

    code = "error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: dict[str, Any] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.fields = fields
        self.retry_after = retry_after


class Invalid(DomainError):
    """The input breaks a rule that a schema cannot express."""

    code = "validation_error"


class NotFound(DomainError):
    """The named thing does not exist (or is not this caller's to see)."""

    code = "not_found"


class Conflict(DomainError):
    """The thing exists but is in a state that refuses this change."""

    code = "conflict"


class Stale(Conflict):
    """A compare-and-set matched nothing: another writer moved the row on first."""


class TooLarge(DomainError):
    """The input is over a size limit."""

    code = "payload_too_large"


class Unauthenticated(DomainError):
    """Missing or bad credentials (signature, token)."""

    code = "unauthorized"


class Forbidden(DomainError):
    """Authenticated, but not allowed."""

    code = "forbidden"


class RateLimited(DomainError):
    """Over a rate limit."""

    code = "rate_limited"


class Unavailable(DomainError):
    """Something the answer needs is missing (no model installed): retrying later may work."""

    code = "unavailable"


class Overloaded(Unavailable):
    """Back-pressure: refused before anything was stored."""

    code = "overloaded"


class Expired(Conflict):
    """The action came too late: its window (an undo, a lease) has closed."""

    code = "expired"


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Marshmallow's nested messages as ``{"author.source": [...]}`` (an ``Invalid``'s fields)."""
    if not isinstance(messages, dict):
        items = messages if isinstance(messages, list) else [messages]
        return {prefix or "_schema": [str(m) for m in items]}
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        name = str(key) if key != "_schema" or not prefix else ""
        path = ".".join(p for p in (prefix, name) if p) or "_schema"
        flat.update(flatten_errors(value, path))
    return flat
