"""Liveness, readiness and the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from moderation.api import endpoint
from moderation.limits import exempt
from moderation.ops.openapi import build_spec
from moderation.ops.service import broker_ok, database_ok

bp = Blueprint("ops", __name__)

STATUS = {"type": "object", "properties": {"status": {"type": "string"}}}


@bp.get("/healthz")
@exempt
@endpoint(summary="The process is up", tag="ops", uses_db=False, responses={200: STATUS})
def healthz() -> Response:
    """Always 200 while the process serves requests."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
@exempt
@endpoint(summary="Database and broker reachable", tag="ops", responses={200: STATUS, 503: STATUS})
def readyz() -> tuple[Response, int]:
    """200 when both dependencies answer, else 503 naming the failing one."""
    checks = {
        "database": database_ok(),
        "broker": broker_ok(current_app.extensions["celery"]),
    }
    ready = all(v is None for v in checks.values())
    body = {
        "status": "ready" if ready else "unavailable",
        "checks": {k: v or "ok" for k, v in checks.items()},
    }
    return jsonify(body), 200 if ready else 503


@bp.get("/openapi.json")
@endpoint(summary="This document", tag="ops", uses_db=False, responses={200: {"type": "object"}})
def openapi() -> Response:
    """The whole API as OpenAPI 3."""
    cached = current_app.extensions.get("openapi")
    if cached is None:
        cached = current_app.extensions["openapi"] = build_spec(current_app)
    return jsonify(cached)
