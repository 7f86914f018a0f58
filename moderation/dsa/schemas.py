"""Input and output schemas of the DSA endpoints."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from moderation.comments.schemas import SOURCE
from moderation.fields import CleanString


class PartySchema(Schema):
    """Who appeals: the comment's author or a notifier, as the site knows them."""

    class Meta:
        unknown = RAISE

    id = CleanString(required=True, validate=validate.Length(min=1, max=200))
    source = CleanString(required=True, validate=SOURCE)


class AppealInputSchema(Schema):
    """``POST /v1/sites/{site}/comments/{cid}/appeals``."""

    class Meta:
        unknown = RAISE

    author = fields.Nested(PartySchema, required=True)
    text = CleanString(required=True, validate=validate.Length(min=1, max=5000))


appeal_input = AppealInputSchema()
STATEMENT_OUT = {"type": "object", "properties": {"statement": {"type": "object"}}}
APPEAL_OUT = {"type": "object", "properties": {"appeal": {"type": "object"}}}
