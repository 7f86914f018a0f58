"""Decision callbacks to the site (an outbox) and every attempt to deliver them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from moderation.db import Base, JSONType, UTCDateTime, utcnow


class Delivery(Base):
    """One decision to report; written in the decision's transaction (outbox pattern)."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_due", "status", "next_attempt_at"),
        Index("ix_deliveries_comment", "comment_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # X-Moderation-Delivery
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"))
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"))
    revision: Mapped[int]
    comment: Mapped[dict[str, Any]] = mapped_column(JSONType)  # the callback's "comment" object
    event: Mapped[str] = mapped_column(
        String(32), default="comment.moderated", server_default="comment.moderated"
    )
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSONType)  # more top-level keys
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class DeliveryAttempt(Base):
    """One HTTP attempt, kept for admins."""

    __tablename__ = "delivery_attempts"
    __table_args__ = (Index("ix_delivery_attempts_delivery", "delivery_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[str] = mapped_column(ForeignKey("deliveries.id"))
    attempted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[float] = mapped_column(default=0.0)
