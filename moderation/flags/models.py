"""A reader's report on a comment."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from moderation.db import Base, UTCDateTime, utcnow

FLAG_REASONS = (
    "insult",
    "hate",
    "threat",
    "spam",
    "off_topic",
    "personal_data",
    "other",
    "illegal",
)


class Flag(Base):
    """One report; its weight is fixed when it arrives, its outcome when a moderator decides."""

    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("comment_id", "reporter_source", "reporter_id"),
        # The reporter's past accuracy is counted from these.
        Index("ix_flags_reporter", "site_id", "reporter_source", "reporter_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    reporter_source: Mapped[str] = mapped_column(String(32))
    reporter_id: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[float]
    low_standing: Mapped[bool] = mapped_column(default=False)
    # The reporter's standing in a word when they reported (flags.service.Standing).
    standing: Mapped[str | None] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(16))  # upheld | dismissed
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A DSA art. 16 notice (reason "illegal"): what the notifier says, and who they are.
    law: Mapped[str | None] = mapped_column(Text)
    explanation: Mapped[str | None] = mapped_column(Text)
    notifier_name: Mapped[str | None] = mapped_column(String(200))
    notifier_email: Mapped[str | None] = mapped_column(String(320))
    bona_fide: Mapped[bool | None]
    notified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
