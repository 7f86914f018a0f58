"""``POST /v1/sites/{site}/comments/{cid}/flags``: a reader report, signed by the site."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request
from marshmallow import RAISE, Schema, fields, validate

from moderation.api import endpoint, load, read_json, refuse_nul
from moderation.comments.schemas import SOURCE, CleanString
from moderation.comments.service import comment_record, find_comment
from moderation.extensions import db
from moderation.flags import service
from moderation.flags.models import FLAG_REASONS
from moderation.limits import exempt
from moderation.sites.auth import signed_by_site

bp = Blueprint("flags", __name__, url_prefix="/v1/sites/<site>/comments/<cid>/flags")
bp.url_value_preprocessor(refuse_nul)


class ReporterSchema(Schema):
    """Who reported."""

    class Meta:
        unknown = RAISE

    id = CleanString(required=True, validate=validate.Length(min=1, max=200))
    source = CleanString(required=True, validate=SOURCE)


class FlagInputSchema(Schema):
    """A reader report."""

    class Meta:
        unknown = RAISE

    reporter = fields.Nested(ReporterSchema, required=True)
    reason = fields.String(required=True, validate=validate.OneOf(FLAG_REASONS))
    note = CleanString(load_default=None, allow_none=True, validate=validate.Length(max=2000))


flag_input = FlagInputSchema()
FLAG_OUT = {
    "type": "object",
    "properties": {
        "flag": {"type": "object"},
        "flags_weight": {"type": "number"},
        "comment": {"type": "object"},
    },
}


@bp.post("")
@endpoint(
    summary="A reader reports a comment",
    tag="webhook",
    auth="site",
    body=flag_input,
    responses={201: FLAG_OUT, 200: FLAG_OUT, 400: None, 401: None, 404: None, 415: None, 429: None},
)
@exempt  # limited per site once signed
@signed_by_site
def post_flag(cid: str) -> tuple[Response, int]:
    """One report per reporter per comment: a repeat answers 200 with the first."""
    data = load(flag_input, read_json(request))
    comment = find_comment(db.session, g.site, cid)
    reporter = data["reporter"]
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
