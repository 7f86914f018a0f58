"""Reader report schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from moderation.comments.schemas import SOURCE
from moderation.fields import CleanString
from moderation.flags.models import FLAG_REASONS


class ReporterSchema(Schema):
    """Who reported."""

    class Meta:
        unknown = RAISE

    id = CleanString(required=True, validate=validate.Length(min=1, max=200))
    source = CleanString(required=True, validate=SOURCE)
    # Required for a notice of illegal content (DSA art. 16(2)(c)), kept for nothing else.
    name = CleanString(validate=validate.Length(min=1, max=200))
    email = fields.Email(validate=validate.Length(max=320))


#: What a notice of illegal content must carry (DSA art. 16(2)), by field path.
NOTICE_FIELDS = ("law", "explanation", "reporter.name", "reporter.email", "bona_fide")


class FlagInputSchema(Schema):
    """A reader report."""

    class Meta:
        unknown = RAISE

    reporter = fields.Nested(ReporterSchema, required=True)
    reason = fields.String(required=True, validate=validate.OneOf(FLAG_REASONS))
    note = CleanString(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    law = CleanString(validate=validate.Length(min=1, max=500))
    explanation = CleanString(validate=validate.Length(min=1, max=5000))
    bona_fide = fields.Boolean()

    @validates_schema
    def _notice_complete(self, data: dict[str, Any], **_kw: object) -> None:
        if data.get("reason") != "illegal":
            return
        reporter = data.get("reporter") or {}
        given = {**data, **{f"reporter.{k}": v for k, v in reporter.items()}}
        missing = {
            name: ["Required for a notice of illegal content (reason 'illegal')."]
            for name in NOTICE_FIELDS
            if given.get(name) in (None, "")
        }
        if data.get("bona_fide") is False:
            missing["bona_fide"] = ["Must be true: the notifier confirms the notice in good faith."]
        if missing:
            raise ValidationError(missing)


flag_input = FlagInputSchema()
FLAG_OUT = {
    "type": "object",
    "properties": {
        "flag": {"type": "object"},
        "flags_weight": {"type": "number"},
        "comment": {"type": "object"},
    },
}
