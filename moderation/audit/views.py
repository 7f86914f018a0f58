"""``GET /v1/comments/{site}/{cid}/history``: the audit trail."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify

from moderation.accounts.auth import MODERATOR
from moderation.accounts.scopes import visible_site
from moderation.api import endpoint, refuse_nul
from moderation.audit.service import comment_history
from moderation.comments.service import find_comment
from moderation.extensions import db

bp = Blueprint("audit", __name__, url_prefix="/v1/comments")
bp.url_value_preprocessor(refuse_nul)
HISTORY = {
    "type": "object",
    "properties": {k: {"type": "array"} for k in ("revisions", "events", "decisions", "callbacks")},
}


@bp.get("/<site>/<cid>/history")
@endpoint(
    summary="A comment's audit trail",
    tag="queue",
    auth=MODERATOR,
    responses={200: HISTORY, 401: None, 403: None, 404: None},
)
def history(site: str, cid: str) -> Response:
    """Every state change with who, when, why, and the versions that decided."""
    found = visible_site(db.session, g.user, site)
    comment = find_comment(db.session, found, cid)
    detail = g.user.role == "admin"  # a delivery error names hosts and addresses
    return jsonify(comment_history(db.session, site=found, comment=comment, detail=detail))
