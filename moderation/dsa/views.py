"""Site endpoints of the DSA: a comment's statement of reasons, and appeals against it."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request

from moderation.api import endpoint, load, read_json, refuse_nul
from moderation.comments.service import find_comment
from moderation.dsa.appeals import appeal_view, file_appeal
from moderation.dsa.schemas import APPEAL_OUT, STATEMENT_OUT, appeal_input
from moderation.dsa.statements import latest_for_comment, statement_view
from moderation.extensions import db
from moderation.limits import exempt
from moderation.sites.auth import SITE

bp = Blueprint("dsa", __name__, url_prefix="/v1/sites/<site>/comments/<cid>")
bp.url_value_preprocessor(refuse_nul)
_ERRORS = {400: None, 401: None, 403: None, 404: None, 409: None, 415: None, 429: None}


@bp.get("/statement")
@endpoint(
    summary="The statement of reasons of a comment's rejection (DSA art. 17)",
    tag="webhook",
    auth=SITE,
    responses={200: STATEMENT_OUT, 401: None, 404: None, 429: None},
)
@exempt  # limited per site once signed
def get_statement(cid: str) -> Response:
    """The newest statement: Transparency Database fields, redress and the French text."""
    comment = find_comment(db.session, g.site, cid)
    statement = latest_for_comment(db.session, comment)
    return jsonify({"statement": statement_view(statement, g.site, comment)})


@bp.post("/appeals")
@endpoint(
    summary="The author or a notifier appeals a rejection (DSA art. 20)",
    tag="webhook",
    auth=SITE,
    body=appeal_input,
    responses={201: APPEAL_OUT, **_ERRORS},
)
@exempt
def post_appeal(cid: str) -> tuple[Response, int]:
    """Opens an item in the ``appeals`` queue, decided by another moderator."""
    data = load(appeal_input, read_json(request))
    comment = find_comment(db.session, g.site, cid, lock=True)
    appeal = file_appeal(db.session, comment=comment, appellant=data["author"], text=data["text"])
    return jsonify({"appeal": appeal_view(appeal)}), 201
