"""API keys for Perspective-compatible clients, the texts they let us keep, and their feedback."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from moderation.db import Base, JSONType, UTCDateTime, utcnow


class ApiKey(Base):
    """A ``?key=`` for one site; only its SHA-256 is stored."""

    __tablename__ = "perspective_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ScoredText(Base):
    """A text scored through ``comments:analyze`` without ``doNotStore`` (backtests, retraining)."""

    __tablename__ = "perspective_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("perspective_keys.id"))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16))
    scores: Mapped[dict[str, Any]] = mapped_column(JSONType)
    model_version: Mapped[str] = mapped_column(String(100))
    client_token: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Feedback(Base):
    """A ``comments:suggestscore`` call: the client's own verdict on a text, per attribute."""

    __tablename__ = "perspective_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("perspective_keys.id"))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16))
    labels: Mapped[dict[str, Any]] = mapped_column(JSONType)  # our label -> 0 or 1
    client_token: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
