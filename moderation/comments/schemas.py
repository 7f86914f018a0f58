"""Webhook payload (input) and comment record (output) schemas. SPEC §3."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from marshmallow import INCLUDE, Schema, ValidationError, fields, post_load, validate

from moderation.fields import CleanString, UTCDateTime

SOURCE = validate.Regexp(
    r"^[a-z0-9][a-z0-9_.-]{0,31}$", error="Must be 'native' or a provider name."
)


# NUL and lone surrogates: PostgreSQL cannot store either in a JSONB document.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Letters and symbols that render as nothing (fillers, the blank braille pattern).
_INVISIBLE = frozenset("\u115f\u1160\u2800\u3164\uffa0")


def storable(value: Any) -> Any:
    """A JSON value with NUL and lone surrogates in its strings and keys replaced by U+FFFD."""
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value)
    if isinstance(value, list):
        return [storable(v) for v in value]
    if isinstance(value, dict):  # depth is bounded by read_json, so recursion is safe
        return {storable(k): storable(v) for k, v in value.items()}
    return value


def is_blank(text: str) -> bool:
    """True when nothing in the text is visible: spaces, controls, zero-width characters."""
    return all(
        c.isspace() or c in _INVISIBLE or unicodedata.category(c) in ("Cc", "Cf", "Zs")
        for c in text
    )


def _not_blank(text: str) -> None:
    if is_blank(text):
        raise ValidationError("Must not be blank.")


class OpenSchema(Schema):
    """Unknown fields are accepted and kept (SPEC §3: sites' CMSs send more), made storable.

    Known fields are validated by their own types; unknown ones are only cleaned
    of what PostgreSQL cannot store, so one odd CMS attribute never refuses a comment.
    """

    class Meta:
        unknown = INCLUDE

    @post_load
    def _storable_unknowns(self, data: dict[str, Any], **_kw: Any) -> dict[str, Any]:
        return {
            key if key in self.fields else storable(key): (
                value if key in self.fields else storable(value)
            )
            for key, value in data.items()
        }


def _id(**kw: Any) -> CleanString:
    return CleanString(validate=validate.Length(min=1, max=200), **kw)


class ArticleSchema(OpenSchema):
    """The article the comment is on."""

    id = _id(required=True)
    url = CleanString(validate=validate.Length(max=2000), allow_none=True)
    title = CleanString(validate=validate.Length(max=1000), allow_none=True)
    section = CleanString(validate=validate.Length(max=200), allow_none=True)
    tags = fields.List(
        CleanString(validate=validate.Length(max=200)), validate=validate.Length(max=100)
    )


class PayloadAuthorSchema(OpenSchema):
    """The author as the site knows them."""

    id = _id(required=True)
    source = CleanString(required=True, validate=SOURCE)
    name = CleanString(validate=validate.Length(max=200), allow_none=True)
    email_verified = fields.Boolean(allow_none=True)
    created_at = UTCDateTime(allow_none=True)


class CommentPayloadSchema(OpenSchema):
    """``POST /v1/sites/{site}/comments``: a new comment or a new revision."""

    id = _id(required=True)
    article = fields.Nested(ArticleSchema, required=True)
    parent_id = _id(allow_none=True)
    author = fields.Nested(PayloadAuthorSchema, required=True)
    # The character limit is enforced by the service (413), not here (400).
    body = CleanString(required=True, validate=_not_blank)
    body_format = fields.String(load_default="text", validate=validate.OneOf(["text", "html"]))
    created_at = UTCDateTime(allow_none=True)
    ip = fields.IP(allow_none=True)
    user_agent = CleanString(validate=validate.Length(max=1000), allow_none=True)
    language = CleanString(validate=validate.Length(max=16), allow_none=True)


class MatchSchema(Schema):
    """A span of the original text."""

    field = fields.String()
    start = fields.Integer()
    end = fields.Integer()
    text = fields.String()


class RuleHitSchema(Schema):
    """A rule that matched."""

    id = fields.String()
    action = fields.String()
    priority = fields.Integer()
    reason = fields.String(allow_none=True)
    matches = fields.List(fields.Nested(MatchSchema))
    # Given by the rule file (SPEC §6, §11): what statements of reasons cite.
    article = fields.String()
    category = fields.String()
    description = fields.String()


class DecisionSchema(Schema):
    """The full decision record: why, by whom, with which versions."""

    action = fields.String()
    decided_by = fields.String()
    reason = fields.String(allow_none=True)
    rule = fields.String(allow_none=True)  # the deciding rule's id
    rules = fields.List(fields.Nested(RuleHitSchema))
    labels = fields.List(fields.String())
    scores = fields.Dict(keys=fields.String(), values=fields.Float())
    explanations = fields.Dict()
    ruleset_version = fields.String(allow_none=True)
    model_version = fields.String(allow_none=True)
    decided_at = fields.String()
    note = fields.String(allow_none=True)
    error = fields.String(allow_none=True)
    # A blind spot check label (docs/model.md): the model version whose approval was sampled.
    spot_check = fields.Boolean()
    blind = fields.Boolean()
    sampled_model_version = fields.String(allow_none=True)


class ParentSchema(Schema):
    """The comment a reply answers, when the site sent it: its current text."""

    id = fields.String()
    body = fields.String(allow_none=True)  # None until the site sends the parent


class CommentRecordSchema(Schema):
    """The comment record every comment endpoint answers with."""

    id = fields.String()
    site = fields.String()
    revision = fields.Integer()
    body = fields.String(allow_none=True)  # the current revision's text, HTML reduced
    parent = fields.Nested(ParentSchema, allow_none=True)  # None unless a reply
    status = fields.String()
    queue = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    decision = fields.Nested(DecisionSchema, allow_none=True)
    links = fields.Dict(keys=fields.String(), values=fields.String())


payload_schema = CommentPayloadSchema()
record_schema = CommentRecordSchema()
