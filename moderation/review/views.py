"""Moderators' queue: list, claim, release, resolve (SPEC §5)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, jsonify, request

from moderation.accounts.auth import MODERATOR
from moderation.accounts.scopes import site_scope, visible_site
from moderation.api import endpoint, load, read_json
from moderation.dsa.knowledge import shown_to_moderator
from moderation.extensions import db
from moderation.queue.models import ReviewItem
from moderation.review import service
from moderation.review.present import present_items
from moderation.review.schemas import page_schema, query_schema, resolve_schema, state_schema
from moderation.review.versions import check_versions

bp = Blueprint("queue", __name__, url_prefix="/v1/queue")
_ERRORS = {401: None, 403: None, 404: None, 409: None}
# Item ids beyond the column's range cannot exist: 404 from routing, not a database error.
_ITEM = "<int:item_id>"  # at most MAX_INT (moderation/numbers.py)


def _state(item: ReviewItem) -> Response:
    expires = (
        item.claim_expires_at.isoformat() if item.claim_expires_at and item.claimed_by else None
    )
    return jsonify(
        state_schema.dump(
            {
                "id": item.id,
                "queue": item.queue,
                "status": item.status,
                "claimed_by": item.claimed_by,
                "claim_expires_at": expires,
                "resolved_by": item.resolved_by,
            }
        )
    )


@bp.get("")
@endpoint(
    summary="A page of the review queue",
    tag="queue",
    auth=MODERATOR,
    query=query_schema,
    responses={200: page_schema, 400: None, 401: None, 403: None, 404: None},
)
def list_queue() -> Response:
    """Ordered by priority, then oldest first; filter and page with a cursor."""
    args = load(query_schema, request.args.to_dict())
    filters: dict[str, Any] = {k: args[k] for k in ("reason", "source", "language", "article")}
    filters["site"] = visible_site(db.session, g.user, args["site"]).id if args["site"] else None
    items, next_cursor = service.list_queue(
        db.session,
        queue=args["queue"],
        filters=filters,
        limit=args["limit"],
        cursor=args["cursor"],
        sites=site_scope(db.session, g.user),
    )
    actor = f"moderator:{g.user.name}"
    shown_to_moderator(db.session, [item.comment_id for item in items], actor=actor)
    return jsonify(
        page_schema.dump({"items": present_items(db.session, items), "next_cursor": next_cursor})
    )


@bp.post(f"/{_ITEM}/claim")
@endpoint(
    summary="Claim an item (exclusive lease)",
    tag="queue",
    auth=MODERATOR,
    responses={200: state_schema, **_ERRORS},
)
def claim(item_id: int) -> Response:
    """409 if another moderator holds it."""
    return _state(service.claim(db.session, item_id=item_id, user=g.user))


@bp.post(f"/{_ITEM}/release")
@endpoint(
    summary="Release a claim",
    tag="queue",
    auth=MODERATOR,
    responses={200: state_schema, **_ERRORS},
)
def release(item_id: int) -> Response:
    """Give the item back to the queue."""
    return _state(service.release(db.session, item_id=item_id, user=g.user))


@bp.post(f"/{_ITEM}/resolve")
@endpoint(
    summary="Approve or reject an item",
    tag="queue",
    auth=MODERATOR,
    body=resolve_schema,
    responses={200: state_schema, 400: None, 415: None, **_ERRORS},
)
def resolve(item_id: int) -> Response:
    """409 if already resolved, claimed by someone else or changed since ``version``."""
    data = load(resolve_schema, read_json(request))
    version = data.pop("version", None)
    if version is not None:
        service.check_scope(db.session, item_id, g.user)
        check_versions(db.session, [item_id], {item_id: version})
    return _state(service.resolve(db.session, item_id=item_id, user=g.user, **data))
