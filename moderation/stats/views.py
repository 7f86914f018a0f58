"""``GET /v1/stats`` (admins) and ``GET /metrics`` (Prometheus)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from moderation.accounts.auth import ADMIN
from moderation.api import endpoint
from moderation.extensions import db
from moderation.limits import exempt
from moderation.stats.auth import METRICS
from moderation.stats.cache import metrics_cache
from moderation.stats.service import prometheus, stats

bp = Blueprint("stats", __name__)
STATS = {
    "type": "object",
    "properties": {
        "queue_depth": {"type": "object"},
        "decisions": {"type": "array"},
        "time_to_decision_seconds": {"type": "object"},
        "callbacks": {"type": "object"},
    },
}


@bp.get("/v1/stats")
@endpoint(
    summary="Queue depth, decisions, time to decision",
    tag="admin",
    auth=ADMIN,
    responses={200: STATS, 401: None, 403: None},
)
def get_stats() -> Response:
    """Over the last 7 days."""
    return jsonify(stats(db.session))


@bp.get("/metrics")
@exempt
@endpoint(
    summary="Prometheus metrics",
    description=(
        "Closed by default: with neither setting below, only loopback clients (not relayed"
        " by a proxy) may read it, others get 403. With MODERATION_METRICS_ALLOW"
        " (comma-separated CIDRs) other client addresses get 403; with"
        " MODERATION_METRICS_TOKEN a request without `Authorization: Bearer <token>` gets"
        " 401. When both are set, both are required. The numbers are computed at most once"
        " per MODERATION_METRICS_CACHE_SECONDS (15 s) for every process (with Redis)."
    ),
    tag="ops",
    auth=METRICS,
    media="text/plain",
    responses={200: {"type": "string"}, 401: None, 403: None},
)
def metrics() -> Response:
    """The numbers of /v1/stats, at most ``METRICS_CACHE_SECONDS`` old."""
    text = metrics_cache().get(lambda: prometheus(stats(db.session)))
    return Response(text, mimetype="text/plain; version=0.0.4")
