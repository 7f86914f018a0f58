"""Request shapes of ``comments:analyze`` and ``comments:suggestscore`` (types only).

Fields Google's API defines but we ignore are still type-checked; unknown fields are
dropped, as a lenient drop-in should. The meaning of each field is checked in service.py.
"""

from __future__ import annotations

import json
import re
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from moderation.exceptions import Invalid, flatten_errors

_INVALID = "INVALID_REQUEST"  # Google's errorType for a malformed request


class _Lenient(Schema):
    class Meta:
        unknown = EXCLUDE


class TextEntrySchema(_Lenient):
    """``{"text", "type"}``: the comment, or one context entry."""

    text = fields.String()
    type = fields.String()


class ArticleAndParentSchema(_Lenient):
    """The other kind of context."""

    article = fields.Nested(TextEntrySchema)
    parentComment = fields.Nested(TextEntrySchema)


class ContextSchema(_Lenient):
    """Context: ``entries`` or ``articleAndParentComment``, never both."""

    entries = fields.List(fields.Nested(TextEntrySchema))
    articleAndParentComment = fields.Nested(ArticleAndParentSchema)


class AttributeSchema(_Lenient):
    """One requested attribute: ``{}`` or a score type and threshold."""

    scoreType = fields.String()
    scoreThreshold = fields.Float(validate=validate.Range(0, 1), allow_nan=False)


class _Common(_Lenient):
    comment = fields.Nested(TextEntrySchema)
    context = fields.Nested(ContextSchema)
    languages = fields.List(fields.String(validate=validate.Length(max=35)))
    clientToken = fields.String(validate=validate.Length(max=256))
    sessionId = fields.String()
    communityId = fields.String()


class AnalyzeSchema(_Common):
    """``AnalyzeCommentRequest``."""

    requestedAttributes = fields.Dict(keys=fields.String(), values=fields.Nested(AttributeSchema))
    doNotStore = fields.Boolean()
    spanAnnotations = fields.Boolean()
    dropUnsupportedAttributes = fields.Boolean()


class ScoreSchema(_Lenient):
    """``{"value", "type"}``."""

    value = fields.Float(required=True, validate=validate.Range(0, 1), allow_nan=False)
    type = fields.String()


class SuggestedSchema(_Lenient):
    """One attribute's suggested score."""

    summaryScore = fields.Nested(ScoreSchema, required=True)


class SuggestSchema(_Common):
    """``SuggestCommentScoreRequest``."""

    attributeScores = fields.Dict(keys=fields.String(), values=fields.Nested(SuggestedSchema))


analyze_schema = AnalyzeSchema()
suggest_schema = SuggestSchema()


def load(schema: Schema, data: Any) -> dict[str, Any]:
    """Validated fields, or ``Invalid`` INVALID_REQUEST naming the first bad one."""
    if not isinstance(data, dict):
        raise Invalid("Invalid JSON payload: the body must be an object.", code=_INVALID)
    try:
        loaded: dict[str, Any] = schema.load(data)
    except ValidationError as exc:
        name, messages = next(iter(flatten_errors(exc.messages).items()))
        message = f"Invalid value at '{name}': {messages[0]}"
        raise Invalid(message, code=_INVALID) from exc
    return loaded


_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates: never stored


def parse_body(raw: bytes) -> Any:
    """The JSON body, or ``Invalid`` INVALID_REQUEST (bad UTF-8, bad JSON, NUL, surrogates)."""
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise Invalid("Invalid JSON payload received.", code=_INVALID) from exc
    if _has_forbidden(data):
        message = "Invalid JSON payload received: NUL or unpaired surrogate in a string."
        raise Invalid(message, code=_INVALID)
    return data


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _has_forbidden(value: Any) -> bool:
    if isinstance(value, str):
        return _FORBIDDEN.search(value) is not None
    if isinstance(value, dict):
        return any(_has_forbidden(k) or _has_forbidden(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_forbidden(v) for v in value)
    return False
