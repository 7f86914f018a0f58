"""Site webhook endpoints (SPEC §3): post, read and delete comments."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request

from moderation.api import endpoint, load, read_json, refuse_nul
from moderation.comments import service
from moderation.comments.backlog import check_backpressure
from moderation.comments.schemas import payload_schema, record_schema
from moderation.extensions import db
from moderation.limits import exempt
from moderation.sites.auth import SITE

bp = Blueprint("comments", __name__, url_prefix="/v1/sites/<site>/comments")
bp.url_value_preprocessor(refuse_nul)

_ERRORS = {400: None, 401: None, 404: None, 409: None, 413: None, 415: None, 429: None}
# Webhooks are limited per site once signed (sites/auth.py), not per address:
# a site posts from a few hosts.
_per_site = exempt


def _record(comment: object, status: int) -> tuple[Response, int]:
    body = record_schema.dump(service.comment_record(db.session, comment, g.site))  # type: ignore[arg-type]
    return jsonify(body), status


@bp.post("")
@endpoint(
    summary="Post a new comment or a new revision",
    tag="webhook",
    auth=SITE,
    body=payload_schema,
    responses={202: record_schema, 200: record_schema, 503: None, **_ERRORS},
)
@_per_site
def post_comment() -> tuple[Response, int]:
    """Store and enqueue; an identical replay answers 200 with the existing record."""
    data = load(payload_schema, read_json(request))
    check_backpressure()
    comment, created = service.receive_comment(db.session, site=g.site, data=data)
    return _record(comment, 202 if created else 200)


@bp.get("/<cid>")
@endpoint(
    summary="Read a comment record",
    tag="webhook",
    auth=SITE,
    responses={200: record_schema, **_ERRORS},
)
@_per_site
def get_comment(cid: str) -> tuple[Response, int]:
    """The current record, with its decision."""
    return _record(service.find_comment(db.session, g.site, cid), 200)


@bp.delete("/<cid>")
@endpoint(
    summary="The site deleted a comment",
    tag="webhook",
    auth=SITE,
    responses={200: record_schema, **_ERRORS},
)
@_per_site
def delete_comment(cid: str) -> tuple[Response, int]:
    """Status ``deleted``; it leaves the queue, its history is kept."""
    return _record(service.delete_comment(db.session, site=g.site, external_id=cid), 200)
