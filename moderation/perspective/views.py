"""Perspective-compatible routes (SPEC §10.1); every error answers in Google's envelope."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Response, current_app, g, jsonify, request
from flask_limiter import Limiter
from limits import parse_many

from moderation.api import Access, endpoint
from moderation.errors import GoogleError, register_google_errors
from moderation.extensions import db
from moderation.limits import check_failed_auth, count_failed_auth, exempt
from moderation.perspective import discovery, keys, service
from moderation.perspective.models import ApiKey
from moderation.perspective.openapi import ANALYZE_RESPONSE, ERRORS, SUGGEST_RESPONSE
from moderation.perspective.schemas import analyze_schema, load, parse_body, suggest_schema
from moderation.timings import stage

F = TypeVar("F", bound=Callable[..., Any])

bp = Blueprint("perspective", __name__)
register_google_errors(bp)

# Over the app-wide limit: a 20 KB comment of escaped accents or emoji is ~120 KB of JSON.
MAX_BODY_BYTES = 256 * 1024
_BAD_KEY = "API key not valid. Please pass a valid API key."
_KEY_INFO = {
    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
    "reason": "API_KEY_INVALID",
    "domain": "googleapis.com",
    "metadata": {"service": "commentanalyzer.googleapis.com"},
}


@bp.before_request
def _larger_bodies() -> None:
    request.max_content_length = max(MAX_BODY_BYTES, current_app.config["MAX_CONTENT_LENGTH"])


def authorised() -> ApiKey:
    """The live key named by ``?key=``, counted against its rate limit; else 400 or 429.

    Bad keys count against the client address (429 RESOURCE_EXHAUSTED past the limit).
    """
    check_failed_auth()
    found = keys.find_key(db.session, request.args.get("key"))
    if found is None:
        count_failed_auth()
        raise GoogleError(400, _BAD_KEY, details=[_KEY_INFO])
    check_key_rate(found[0].id)
    return found[0]


def _keyed(view: F) -> F:
    """Run the view only for a live key within its rate limit, as ``g.api_key``."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with stage("key"):
            g.api_key = authorised()
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


KEY = Access("key", _keyed)


def check_key_rate(key_id: int) -> None:
    """429 RESOURCE_EXHAUSTED when a key is over ``RATE_LIMIT_KEY`` (shared limiter storage)."""
    limiter: Limiter = current_app.extensions["rate_limiter"]
    if not limiter.enabled:
        return
    for item in parse_many(current_app.config["RATE_LIMIT_KEY"]):
        if not limiter.limiter.hit(item, "perspective_key", str(key_id)):
            reset = limiter.limiter.get_window_stats(item, "perspective_key", str(key_id))
            wait = max(1, int(reset.reset_time - time.time()) + 1)
            raise GoogleError(
                429,
                f"Quota exceeded for this API key ({item}).",
                details=[{**_KEY_INFO, "reason": "RATE_LIMIT_EXCEEDED"}],
                headers={"Retry-After": str(wait)},
            )


def _body(schema: Any) -> dict[str, Any]:
    return load(schema, parse_body(request.get_data(cache=False)))


@bp.post("/v1alpha1/comments:analyze")
@bp.post("/comments:analyze")
@endpoint(
    summary="Perspective-compatible scores for one comment",
    tag="perspective",
    auth=KEY,
    body=analyze_schema,
    responses={200: ANALYZE_RESPONSE, **ERRORS},
)
@exempt  # limited per key, not per address
def analyze() -> Response:
    """Score a comment; the text is kept for the key's site unless ``doNotStore``."""
    body = service.analyze(db.session, key=g.api_key, data=_body(analyze_schema))
    return jsonify(body)


@bp.post("/v1alpha1/comments:suggestscore")
@bp.post("/comments:suggestscore")
@endpoint(
    summary="Perspective-compatible feedback: the client's own verdict on a comment",
    tag="perspective",
    auth=KEY,
    body=suggest_schema,
    responses={200: SUGGEST_RESPONSE, **ERRORS},
)
@exempt  # limited per key, not per address
def suggestscore() -> Response:
    """Store the suggested scores as labelled feedback for retraining."""
    body = service.suggest(db.session, key=g.api_key, data=_body(suggest_schema))
    return jsonify(body)


@bp.get("/$discovery/rest")
@endpoint(
    summary="Google discovery document (for googleapiclient)",
    tag="perspective",
    responses={200: {"type": "object"}, **ERRORS},
)
def discovery_document() -> Response:
    """The ``commentanalyzer`` v1alpha1 document; ``rootUrl`` is ``MODERATION_PUBLIC_URL``."""
    if request.args.get("version", "v1alpha1") != "v1alpha1":
        raise GoogleError(404, "Requested entity was not found.")
    if "key" in request.args:
        authorised()  # Google refused a bad key here already; perspective.py relies on it
    root = current_app.config["PUBLIC_URL"] or request.url_root
    return jsonify(discovery.document(root.rstrip("/") + "/"))
