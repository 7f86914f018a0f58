"""Marshmallow field types the slices' schemas share: what PostgreSQL can store."""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import ValidationError, fields


class CleanString(fields.String):
    """A string with no NUL characters and no lone surrogates (PostgreSQL refuses both)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError("Must not contain NUL characters.")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValidationError("Must be valid Unicode (lone surrogate).") from exc
        return text


class UTCDateTime(fields.AwareDateTime):
    """An aware date and time that UTC can represent: it is stored in UTC (years 1 to 9999)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            moment.astimezone(dt.UTC)
        except OverflowError as exc:
            raise ValidationError("Out of range once converted to UTC.") from exc
        return moment
