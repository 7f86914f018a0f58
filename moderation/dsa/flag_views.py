"""``POST /v1/sites/{site}/comments/{cid}/flags``: a reader report, signed by the site."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request

from moderation.api import endpoint, load, read_json, refuse_nul
from moderation.comments.service import comment_record, find_comment
from moderation.dsa.notices import add_notice
from moderation.extensions import db
from moderation.flags import service
from moderation.flags.schemas import FLAG_OUT, flag_input
from moderation.limits import exempt
from moderation.sites.auth import SITE

bp = Blueprint("flags", __name__, url_prefix="/v1/sites/<site>/comments/<cid>/flags")
bp.url_value_preprocessor(refuse_nul)


@bp.post("")
@endpoint(
    summary="A reader reports a comment",
    tag="webhook",
    auth=SITE,
    body=flag_input,
    responses={
        201: FLAG_OUT,
        200: FLAG_OUT,
        400: None,
        401: None,
        404: None,
        409: None,
        415: None,
        429: None,
    },
)
@exempt  # limited per site once signed
def post_flag(cid: str) -> tuple[Response, int]:
    """One report per reporter per comment: a repeat answers 200 with the first."""
    data = load(flag_input, read_json(request))
    comment = find_comment(db.session, g.site, cid)
    reporter = data["reporter"]
    if data["reason"] == "illegal":  # a DSA art. 16 notice
        flag, created = add_notice(db.session, comment=comment, reporter=reporter, data=data)
    else:
        flag, created = service.add_flag(
            db.session,
            comment=comment,
            source=reporter["source"],
            reporter_id=reporter["id"],
            reason=data["reason"],
            note=data["note"],
        )
    body = {
        "flag": service.flag_view(flag),
        "flags_weight": service.flags_weight(db.session, comment.id),
        "comment": comment_record(db.session, comment, g.site),
    }
    return jsonify(body), 201 if created else 200
