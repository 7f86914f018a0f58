"""One error shape for the whole API: ``{"error": {"code", "message", "fields"?}}``."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, has_request_context, jsonify, render_template, request
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

import moderation.exceptions as domain

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
    (domain.Overloaded, 503),
)


def domain_status(exc: domain.DomainError) -> int:
    """The HTTP status for a domain error (400 for an unmapped one)."""
    return next((status for cls, status in _DOMAIN_STATUS if isinstance(exc, cls)), 400)


def _domain_error(exc: domain.DomainError) -> Response:
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
    return error_response(
        ApiError(domain_status(exc), exc.code, exc.message, fields=exc.fields, headers=headers)
    )


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    code = _HTTP_CODES.get(status, "http_error")
    response = error_response(ApiError(status, code, exc.description or code))
    if status == 405 and exc.valid_methods:  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
    return response


def _database_down(exc: Exception) -> Response:
    # The transaction rolled back: nothing was stored, so retrying is safe.
    from moderation.extensions import db

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


def register_error_handlers(app: Flask) -> None:
    """Route every error through the one shape."""
    app.register_error_handler(ApiError, error_response)
    app.register_error_handler(domain.DomainError, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(InterfaceError, _database_down)
    app.register_error_handler(Exception, _unexpected)
