"""Reader report schemas."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from moderation.comments.schemas import SOURCE, CleanString
from moderation.flags.models import FLAG_REASONS


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
