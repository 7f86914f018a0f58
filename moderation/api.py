"""View contracts: each view declares its input, output and access; OpenAPI is built from that.

``@endpoint(auth=…)`` is the one declaration of who may call a view, and it enforces it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Request
from marshmallow import Schema, ValidationError

from moderation.errors import ApiError
from moderation.exceptions import flatten_errors

F = TypeVar("F", bound=Callable[..., Any])
Guard = Callable[[Callable[..., Any]], Callable[..., Any]]
# Far deeper than any real document; deeper ones could exhaust the stack later (a 500).
MAX_JSON_DEPTH = 64


@dataclass(frozen=True)
class Access:
    """Who may call a view: ``name`` as the OpenAPI document shows it, ``guard`` enforcing it."""

    name: str
    guard: Guard


@dataclass(frozen=True)
class Contract:
    """What a view accepts and answers, for the OpenAPI document."""

    summary: str
    tag: str
    # "site" (HMAC), "moderator", "admin" (bearer), "metrics" (optional bearer) or None
    auth: str | None = None
    body: Schema | None = None
    responses: Mapping[int, Schema | dict[str, Any] | None] = field(default_factory=dict)
    query: Schema | None = None
    media: str = "application/json"
    uses_db: bool = True  # may answer 503 when the database is unreachable
    description: str = ""


def endpoint(*, auth: Access | None = None, **kwargs: Any) -> Callable[[F], F]:
    """Attach a ``Contract`` to a view function and wrap it in its access guard."""
    contract = Contract(auth=auth.name if auth else None, **kwargs)

    def attach(view: F) -> F:
        guarded = auth.guard(view) if auth else view
        guarded.__api_contract__ = contract  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return attach


def refuse_nul(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """404 for a URL part holding NUL: it names nothing stored (every input refuses NUL).

    Register with ``bp.url_value_preprocessor`` on blueprints whose URL parts name rows;
    the database never sees the value (PostgreSQL refuses NUL in text with an error).
    """
    if values and any(isinstance(v, str) and "\x00" in v for v in values.values()):
        raise ApiError(404, "not_found", "No such resource.")


def read_json(request: Request) -> Any:
    """The request body as JSON, or ``ApiError`` 415/400."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Content-Type must be application/json.")
    raw = request.get_data(cache=True)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(
            400, "invalid_encoding", f"Body is not valid UTF-8 (byte {exc.start})."
        ) from exc
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except json.JSONDecodeError as exc:
        raise ApiError(
            400, "invalid_json", f"Malformed JSON: {exc.msg} at line {exc.lineno}."
        ) from exc
    except _Unstorable as exc:
        raise ApiError(400, "invalid_json", f"Malformed JSON: {exc}.") from exc
    except ValueError as exc:  # Python's own limit on integer literals
        raise ApiError(400, "invalid_json", "Malformed JSON: an integer over 4300 digits.") from exc
    except RecursionError as exc:
        raise ApiError(400, "invalid_json", "JSON is nested too deeply.") from exc
    if _too_deep(data):
        raise ApiError(400, "invalid_json", f"JSON is nested over {MAX_JSON_DEPTH} levels.")
    return data


class _Unstorable(ValueError):
    """A number Python reads but JSON (and PostgreSQL's JSONB) has no way to write."""


def _no_constant(name: str) -> Any:
    raise _Unstorable(f"{name} is not a JSON number")


def _finite(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _Unstorable(f"{literal[:20]} is out of range")
    return value


def _too_deep(data: Any) -> bool:
    """True when containers nest over ``MAX_JSON_DEPTH``; iterative, so the stack is safe."""
    level, depth = [data], 0
    while level := [node for node in level if isinstance(node, dict | list)]:
        depth += 1
        if depth > MAX_JSON_DEPTH:
            return True
        level = [c for node in level for c in (node.values() if isinstance(node, dict) else node)]
    return False


def load(schema: Schema, data: Any) -> Any:
    """Validate with a schema, or ``ApiError`` 400 with per-field messages."""
    if not isinstance(data, dict):
        raise ApiError(400, "validation_error", "Body must be a JSON object.")
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise ApiError(
            400, "validation_error", "Invalid fields.", fields=flatten_errors(exc.messages)
        ) from exc
