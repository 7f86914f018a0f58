"""Statements of reasons (DSA art. 17) and appeals against them (art. 20)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from moderation.db import Base, JSONType, UTCDateTime, utcnow


class Statement(Base):
    """One restriction's statement of reasons; ``data`` holds the Transparency DB fields."""

    __tablename__ = "statements"
    __table_args__ = (
        Index("ix_statements_comment", "comment_id", "id"),
        Index("ix_statements_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    puid: Mapped[str] = mapped_column(String(64), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    sanction_id: Mapped[int | None] = mapped_column(ForeignKey("sanctions.id"))
    kind: Mapped[str] = mapped_column(String(16))  # content | account
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    text: Mapped[str] = mapped_column(Text)
    appeal_until: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Appeal(Base):
    """A complaint against a statement's decision, decided by a human (one per statement)."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), unique=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    appellant_source: Mapped[str] = mapped_column(String(32))
    appellant_id: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # author | notifier
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open|reversed|upheld
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
