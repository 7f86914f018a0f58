"""Author and sanction schemas."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from moderation.authors.models import SANCTION_KINDS
from moderation.db import utcnow
from moderation.fields import CleanString, UTCDateTime


class SanctionInputSchema(Schema):
    """``POST /v1/authors/{site}/{source}/{author_id}/sanctions``."""

    class Meta:
        unknown = RAISE

    kind = fields.String(required=True, validate=validate.OneOf(SANCTION_KINDS))
    until = UTCDateTime(load_default=None, allow_none=True)
    reason = CleanString(load_default=None, allow_none=True, validate=validate.Length(max=500))

    @validates_schema
    def _future(self, data: dict[str, object], **_kw: object) -> None:
        until = data.get("until")
        if until is not None and until <= utcnow():  # type: ignore[operator]
            raise ValidationError("Must be in the future.", "until")


class SanctionSchema(Schema):
    """A sanction."""

    id = fields.Integer()
    kind = fields.String()
    reason = fields.String(allow_none=True)
    until = fields.String(allow_none=True)
    created_by = fields.String()
    created_at = fields.String()
    active = fields.Boolean()


class AuthorSchema(Schema):
    """An author's standing and history."""

    id = fields.String()
    source = fields.String()
    name = fields.String(allow_none=True)
    email_verified = fields.Boolean(allow_none=True)
    approved_count = fields.Integer()
    rejected_count = fields.Integer()
    rejection_rate = fields.Float()
    trust = fields.Integer()
    sanctions = fields.List(fields.String())
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    account_age_days = fields.Float()
    first_seen_at = fields.String()
    sanction_history = fields.List(fields.Nested(SanctionSchema))


sanction_input = SanctionInputSchema()
sanction_schema = SanctionSchema()
author_schema = AuthorSchema()
