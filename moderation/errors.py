"""One error shape for the whole API: ``{"error": {"code", "message", "fields"?}}``.

The Perspective-compatible paths (SPEC §10.1) are the one exception: their clients
parse Google's envelope, so their blueprint renders every error, domain errors included,
as ``GoogleError``. Services raise domain errors only (``moderation/exceptions.py``).
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    has_request_context,
    jsonify,
    render_template,
    request,
)
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

import moderation.exceptions as domain
from moderation.extensions import db

log = logging.getLogger(__name__)

# Werkzeug's HTTP errors mapped to our stable codes.
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    503: "unavailable",
}


class ApiError(Exception):
    """An error the client can act on; rendered in the one error shape."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields, self.headers = fields, headers or {}

    def to_dict(self) -> dict[str, Any]:
        """The JSON body."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return {"error": body}


def _wants_html() -> bool:
    # The moderator console is HTML; everything else speaks the one JSON error shape.
    path = request.path if has_request_context() else ""
    return path == "/console" or path.startswith("/console/")


def _html_error(error: ApiError) -> Response:
    # htmx requests get a toast fragment to show in place; others a whole page.
    fragment = request.headers.get("HX-Request") == "true"
    template = "console/_error.html" if fragment else "console/error.html"
    response = Response(render_template(template, error=error), mimetype="text/html")
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def error_response(error: ApiError) -> Response:
    """Render an ``ApiError`` as a Flask response (an HTML page under ``/console/``)."""
    if _wants_html():
        return _html_error(error)
    response = jsonify(error.to_dict())
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


#: Domain errors (``moderation/exceptions.py``) by HTTP status; the most specific class wins.
_DOMAIN_STATUS: tuple[tuple[type[domain.DomainError], int], ...] = (
    (domain.Invalid, 400),
    (domain.Unauthenticated, 401),
    (domain.Forbidden, 403),
    (domain.NotFound, 404),
    (domain.Conflict, 409),
    (domain.TooLarge, 413),
    (domain.RateLimited, 429),
    (domain.Unavailable, 503),
)


def domain_status(exc: domain.DomainError) -> int:
    """The HTTP status for a domain error (400 for an unmapped one)."""
    return next((status for cls, status in _DOMAIN_STATUS if isinstance(exc, cls)), 400)


def _retry_after(exc: domain.DomainError) -> dict[str, str]:
    return {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else {}


def _domain_error(exc: domain.DomainError) -> Response:
    return error_response(
        ApiError(
            domain_status(exc), exc.code, exc.message, fields=exc.fields, headers=_retry_after(exc)
        )
    )


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    code = _HTTP_CODES.get(status, "http_error")
    message = _too_large() if status == 413 else exc.description or code
    response = error_response(ApiError(status, code, message))
    if status == 405 and exc.valid_methods:  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
    return response


def _too_large() -> str:
    # Werkzeug's text names no limit; a site needs both to fix what it sends.
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    chars = current_app.config.get("MAX_TEXT_CHARS")
    return (
        f"Request body is over the {limit}-byte limit"
        f" (comment text may have up to {chars} characters)."
    )


def _database_down(exc: Exception) -> Response:
    # The transaction rolled back: nothing was stored, so retrying is safe.
    log.warning("database unavailable", extra={"error": type(exc).__name__})
    db.remove()
    error = ApiError(
        503, "unavailable", "Database unavailable; retry later.", headers={"Retry-After": "5"}
    )
    return error_response(error)


def _unexpected(exc: Exception) -> Response:
    # Never echo the exception: it may carry SQL, secrets or paths.
    log.exception("unhandled error")
    return error_response(ApiError(500, "internal_error", "Internal server error."))


# Google's canonical status names for the HTTP statuses these paths answer.
_GOOGLE_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}
_RETRY = {"Retry-After": "5"}
GOOGLE_ERROR_TYPE = "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"


class GoogleError(Exception):
    """An error in Google's JSON envelope (Perspective clients parse it)."""

    def __init__(
        self,
        status: int,
        message: str,
        error_type: str | None = None,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}
        self.details = list(details or [])
        if error_type is not None:
            self.details.insert(0, {"@type": GOOGLE_ERROR_TYPE, "errorType": error_type, **extra})

    def to_dict(self) -> dict[str, Any]:
        """The JSON body."""
        body: dict[str, Any] = {
            "code": self.status,
            "message": self.message,
            "status": _GOOGLE_STATUS.get(self.status, "INVALID_ARGUMENT"),
        }
        if self.details:
            body["details"] = self.details
        return {"error": body}


def google_response(error: GoogleError) -> Response:
    """Render a ``GoogleError`` as a Flask response."""
    response = jsonify(error.to_dict())
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def _google_domain(exc: domain.DomainError) -> Response:
    # The Perspective service names Google's errorType (upper case) as its code and puts
    # the extra detail Google sends beside it in ``fields``; our own codes are lower case.
    status = domain_status(exc)
    error_type: str | None
    if exc.code.isupper():
        error_type, extra = exc.code, exc.fields or {}
    else:
        error_type, extra = ("INVALID_REQUEST" if status in (400, 413, 415) else None), {}
    error = GoogleError(status, exc.message, error_type, headers=_retry_after(exc), **extra)
    return google_response(error)


def _as_google(exc: Exception) -> Response:
    # Our own shape's errors and Werkzeug's, re-rendered in Google's envelope.
    headers: dict[str, str] = {}
    if isinstance(exc, ApiError):
        status, message, headers = exc.status, exc.message, exc.headers
    elif isinstance(exc, HTTPException):
        status, message = exc.code or 500, exc.description or "Bad request."
    else:
        return _google_unexpected(exc)
    error_type = "INVALID_REQUEST" if status in (400, 413, 415) else None
    return google_response(GoogleError(status, message, error_type, headers=headers))


def _google_database_down(exc: Exception) -> Response:
    _database_down(exc)  # logs, and releases the session
    unavailable = GoogleError(503, "The service is currently unavailable.", headers=_RETRY)
    return google_response(unavailable)


def _google_unexpected(exc: Exception) -> Response:
    # Where, never what: an exception's message or SQL parameters may hold the comment text.
    where = [f"{f.filename}:{f.lineno} {f.name}" for f in traceback.extract_tb(exc.__traceback__)]
    log.error("unhandled error", extra={"error": type(exc).__name__, "where": where[-5:]})
    return google_response(GoogleError(500, "Internal error encountered."))


def register_google_errors(bp: Blueprint) -> None:
    """Every error raised on ``bp``'s paths answers in Google's envelope."""
    bp.register_error_handler(GoogleError, google_response)
    bp.register_error_handler(domain.DomainError, _google_domain)
    bp.register_error_handler(ApiError, _as_google)
    bp.register_error_handler(HTTPException, _as_google)
    bp.register_error_handler(OperationalError, _google_database_down)
    bp.register_error_handler(InterfaceError, _google_database_down)
    bp.register_error_handler(Exception, _google_unexpected)


def register_error_handlers(app: Flask) -> None:
    """Route every error through the one shape."""
    app.register_error_handler(ApiError, error_response)
    app.register_error_handler(domain.DomainError, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(InterfaceError, _database_down)
    app.register_error_handler(Exception, _unexpected)
