"""Marshmallow schemas for rule files, and the value types they parse into.

Each mapping of a rule file is checked by one schema (unknown keys are
errors); the loader walks the YAML tree itself so every error keeps the
line of the key it is about.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from moderation.contracts import LABELS
from moderation.durations import parse_duration
from moderation.rules.values import Comparison, NamedThreshold, parse_comparison
from moderation.tdb import CATEGORIES

ACTIONS = ("approve", "review", "reject", "flag")
DECISIONS = ("approve", "review", "reject")
NAMED_THRESHOLDS = ("review", "likely", "very_likely")
SANCTIONS = ("ban", "suspend", "premoderate", "trust")
GROUPS = ("all", "any", "not", "body", "author", "score", "article", "comment", "history")


class ComparisonField(fields.Field[Any]):
    """A comparison string (or a bare number, meaning ``==``)."""

    def __init__(self, unit_seconds: float | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.unit_seconds = unit_seconds

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Comparison:
        try:
            return parse_comparison(value, self.unit_seconds)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class DurationField(fields.Field[Any]):
    """A duration such as ``"10 minutes"``."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> timedelta:
        try:
            return parse_duration(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class ScoreField(fields.Field[Any]):
    """A score comparison or a named threshold."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str) and value.strip() in NAMED_THRESHOLDS:
            return NamedThreshold(value.strip())
        try:
            return parse_comparison(value)
        except ValueError as exc:
            names = " or ".join(NAMED_THRESHOLDS)
            raise ValidationError(f"{exc}, or a named threshold ({names})") from None


class StrList(fields.Field[tuple[str, ...]]):
    """One string or a list of strings, loaded as a tuple."""

    def __init__(self, choices: tuple[str, ...] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = choices

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            raise ValidationError("expected a string or a non-empty list of strings")
        if not all(isinstance(v, str) and v.strip() for v in items):
            raise ValidationError("expected non-empty strings")
        bad = [v for v in items if self.choices and v not in self.choices]
        if bad:
            raise ValidationError(
                f"unknown value {bad[0]!r}; expected one of {', '.join(self.choices or ())}"
            )
        return tuple(str(v) for v in items)


class StrictBool(fields.Field[bool]):
    """``true`` or ``false`` only."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError("expected true or false")
        return value


class TyposField(fields.Field[Any]):
    """``true``, ``false`` or ``"@list"`` (typos, except the words of that list)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool | str:
        if isinstance(value, bool) or (
            isinstance(value, str) and value.startswith("@") and len(value) > 1
        ):
            return value
        raise ValidationError('expected true, false or "@list" (typos except that list\'s words)')


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class FileSchema(_Strict):
    lists = fields.Dict(
        keys=fields.Str(validate=validate.Regexp(r"^[\w.-]+$")), values=fields.Raw()
    )
    patterns = fields.Dict(keys=fields.Str(validate=validate.Regexp(r"^\w+$")), values=fields.Raw())
    rules = fields.List(fields.Raw())
    default = fields.Str(validate=validate.OneOf(DECISIONS))
    tests = fields.List(fields.Raw())
    description = fields.Str()


# A decision stores its reason (the rule id when none is given) in VARCHAR(64) columns
# and its priority in an INTEGER one: anything larger would fail every decision the
# rule makes on PostgreSQL, so the file is refused instead.
_REASON = validate.Length(max=64)
_PRIORITY = validate.Range(min=-(2**31), max=2**31 - 1)


class RuleSchema(_Strict):
    id = fields.Str(required=True, validate=[validate.Regexp(r"^[A-Za-z0-9][\w.-]*$"), _REASON])
    description = fields.Str()
    priority = fields.Int(strict=True, load_default=0, validate=_PRIORITY)
    if_ = fields.Raw(required=True, data_key="if")
    then = fields.Str(required=True, validate=validate.OneOf(ACTIONS))
    reason = fields.Str(validate=_REASON)
    enabled = StrictBool(load_default=True)
    # The house-rule article and DSA category cited in statements of reasons (SPEC §11).
    article = fields.Str(validate=validate.Length(min=1, max=200))
    category = fields.Str(validate=validate.OneOf(CATEGORIES))


class ListFileSchema(_Strict):
    file = fields.Str(required=True)
    # In patterns, also match each term misspelt once: a letter dropped or two swapped;
    # "@list" instead of true leaves out the misspellings that are words of that list.
    typos = TyposField(load_default=False)


class BodySchema(_Strict):
    words = StrList()
    phrases = StrList()
    regex = StrList()
    pattern = StrList()
    near = fields.Raw()
    has_link = StrictBool()
    link_domains = StrList()
    length = ComparisonField()
    caps_ratio = ComparisonField()
    has_email = StrictBool()
    has_phone = StrictBool()
    language = StrList()


class NearSchema(_Strict):
    terms = StrList(required=True, validate=validate.Length(equal=2, error="expected two patterns"))
    within = fields.Int(strict=True, required=True, validate=validate.Range(min=0, max=50))
    ordered = StrictBool(load_default=False)


class AuthorSchema(_Strict):
    source = StrList()
    email_verified = StrictBool()
    account_age_days = ComparisonField(unit_seconds=86400)
    trust = ComparisonField()
    approved_count = ComparisonField()
    rejected_count = ComparisonField()
    rejection_rate = ComparisonField()
    sanctioned = StrictBool()
    sanction = StrList(choices=SANCTIONS)


ScoreSchema = _Strict.from_dict({label: ScoreField() for label in LABELS}, name="ScoreSchema")


class ArticleSchema(_Strict):
    section = StrList()
    tags = StrList()


class CommentSchema(_Strict):
    is_reply = StrictBool()
    revision = ComparisonField()


class WindowSchema(_Strict):
    within = DurationField(required=True)
    count = ComparisonField(required=True)


class HistorySchema(_Strict):
    same_body_within = fields.Raw()
    author_rate = fields.Raw()
    flags = ComparisonField()


class TestAuthorSchema(_Strict):
    id = fields.Str()
    source = fields.Str()
    name = fields.Str()
    email_verified = fields.Bool(allow_none=True)
    created_at = fields.AwareDateTime()
    account_age_days = fields.Float()
    trust = fields.Int()
    approved_count = fields.Int()
    rejected_count = fields.Int()
    sanctions = fields.List(fields.Str(validate=validate.OneOf(SANCTIONS)))


class TestArticleSchema(_Strict):
    id = fields.Str()
    url = fields.Str()
    title = fields.Str()
    section = fields.Str()
    tags = fields.List(fields.Str())


class TestHistorySchema(_Strict):
    same_body = fields.Int()
    author_rate = fields.Int()


class TestCaseSchema(_Strict):
    id = fields.Str()
    body = fields.Str(required=True)
    body_format = fields.Str()
    author = fields.Nested(TestAuthorSchema)
    article = fields.Nested(TestArticleSchema)
    parent_id = fields.Str(allow_none=True)
    created_at = fields.Str()
    ip = fields.Str()
    user_agent = fields.Str()
    language = fields.Str()
    links = fields.List(fields.Str())
    revision = fields.Int()
    flags = fields.Raw()
    scores = fields.Dict(keys=fields.Str(validate=validate.OneOf(LABELS)), values=fields.Float())
    thresholds = fields.Dict(
        keys=fields.Str(), values=fields.Dict(keys=fields.Str(), values=fields.Float())
    )
    history = fields.Nested(TestHistorySchema)
    expect = fields.Str(required=True, validate=validate.OneOf(DECISIONS))
    rule = fields.Str(allow_none=True)
    reason = fields.Str(allow_none=True)
    labels = fields.List(fields.Str())


GROUP_SCHEMAS: dict[str, type[Schema]] = {
    "body": BodySchema,
    "author": AuthorSchema,
    "score": ScoreSchema,
    "article": ArticleSchema,
    "comment": CommentSchema,
    "history": HistorySchema,
}
