"""Queue query, resolution and item schemas."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from moderation.comments.schemas import CommentRecordSchema
from moderation.fields import CleanString


class QueueQuerySchema(Schema):
    """``GET /v1/queue`` parameters."""

    class Meta:
        unknown = RAISE

    queue = fields.String(
        load_default="pending",
        validate=validate.OneOf(["pending", "reported", "appeals", "spot_checks"]),
    )
    # Filters reach SQL: no NUL (PostgreSQL refuses it in text).
    reason = CleanString(load_default=None, validate=validate.Length(max=64))
    source = CleanString(load_default=None, validate=validate.Length(max=32))
    language = CleanString(load_default=None, validate=validate.Length(max=8))
    site = CleanString(load_default=None, validate=validate.Length(max=64))
    article = CleanString(load_default=None, validate=validate.Length(max=200))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = CleanString(load_default=None, validate=validate.Length(max=200))


class ResolveSchema(Schema):
    """``POST /v1/queue/{item_id}/resolve``."""

    class Meta:
        unknown = RAISE

    action = fields.String(required=True, validate=validate.OneOf(["approve", "reject"]))
    reason = CleanString(load_default=None, allow_none=True, validate=validate.Length(max=64))
    note = CleanString(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    # The item's ``version`` as listed: 409 ``stale_version`` if it changed since.
    version = CleanString(validate=validate.Length(min=1, max=40))
    #: To the author of a rejected comment: in the statement of reasons and the callback.
    message = CleanString(load_default=None, allow_none=True, validate=validate.Length(max=1000))

    @validates_schema
    def _reason_for_rejections(self, data: dict[str, object], **_kw: object) -> None:
        if data["action"] == "reject" and not data.get("reason"):
            raise ValidationError("A rejection needs a reason code.", "reason")


class ItemCommentSchema(CommentRecordSchema):
    """The comment record with the article it is on."""

    article = fields.Dict()


class ItemSchema(Schema):
    """A queue item with everything a moderator needs to decide."""

    id = fields.Integer()
    queue = fields.String()
    priority = fields.Integer()
    reasons = fields.List(fields.String())
    created_at = fields.String()
    comment = fields.Nested(ItemCommentSchema)
    author = fields.Dict()
    flags = fields.List(fields.Dict())
    claim = fields.Dict(allow_none=True)
    version = fields.String()  # name it when resolving: 409 if the item changed since
    appeal = fields.Dict(allow_none=True)  # in the appeals queue: who appeals, and why
    blind = fields.Boolean()  # a spot check: no scores, rule hits, reports or author standing


class PageSchema(Schema):
    """A page of the queue."""

    items = fields.List(fields.Nested(ItemSchema))
    next_cursor = fields.String(allow_none=True)


class ItemStateSchema(Schema):
    """An item's state after claim, release or resolve."""

    id = fields.Integer()
    queue = fields.String()
    status = fields.String()
    claimed_by = fields.String(allow_none=True)
    claim_expires_at = fields.String(allow_none=True)
    resolved_by = fields.String(allow_none=True)


query_schema = QueueQuerySchema()
resolve_schema = ResolveSchema()
page_schema = PageSchema()
state_schema = ItemStateSchema()
