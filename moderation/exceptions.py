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


class Overloaded(DomainError):
    """Back-pressure: refused before anything was stored."""

    code = "overloaded"


class Expired(Conflict):
    """The action came too late: its window (an undo, a lease) has closed."""

    code = "expired"
