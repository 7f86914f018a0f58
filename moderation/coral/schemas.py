"""What Coral's external moderation phase sends (research/compat.md §3.2); unknown keys kept."""

from __future__ import annotations

from marshmallow import fields, validate

from moderation.comments.schemas import OpenSchema
from moderation.fields import CleanString


class _Comment(OpenSchema):
    body = CleanString(required=True)
    parentID = CleanString(allow_none=True, load_default=None)


class _Author(OpenSchema):
    id = CleanString(required=True, validate=validate.Length(min=1, max=255))
    role = CleanString(allow_none=True, load_default=None)


class _Story(OpenSchema):
    id = CleanString(required=True, validate=validate.Length(min=1, max=255))
    url = CleanString(allow_none=True, load_default=None)


class _Ref(OpenSchema):
    id = CleanString(allow_none=True, load_default=None)


class PhaseRequestSchema(OpenSchema):
    """One call of the phase: a NEW or EDITed comment, its author and story."""

    action = CleanString(required=True, validate=validate.OneOf(["NEW", "EDIT"]))
    comment = fields.Nested(_Comment, required=True)
    author = fields.Nested(_Author, required=True)
    story = fields.Nested(_Story, required=True)
    site = fields.Nested(_Ref, load_default=None)
    tenantID = CleanString(allow_none=True, load_default=None)
    tenantDomain = CleanString(allow_none=True, load_default=None)


phase_request_schema = PhaseRequestSchema()
