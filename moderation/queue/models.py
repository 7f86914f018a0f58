"""A comment waiting for a moderator: ``pending``, ``reported``, ``appeals`` or ``spot_checks``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from moderation.db import Base, JSONType, UTCDateTime, utcnow

_OPEN = text("status = 'open'")
_SPOT_CHECK = text("queue = 'spot_checks'")


def _open_index(name: str, *columns: str) -> Index:
    # Partial indexes over open items only: the queue page walks one of these
    # in (priority desc, created_at, id) order, whatever the filter.
    order: list[Any] = ["queue", *columns, text("priority DESC"), "created_at", "id"]
    return Index(name, *order, postgresql_where=_OPEN, sqlite_where=_OPEN)


class ReviewItem(Base):
    """One stay of a comment in a queue; filter columns are copied here so pages stay fast."""

    __tablename__ = "review_items"
    __table_args__ = (
        _open_index("ix_review_open"),
        _open_index("ix_review_open_reason", "reason"),
        _open_index("ix_review_open_language", "language"),
        _open_index("ix_review_open_source", "author_source"),
        _open_index("ix_review_open_site", "site_id"),
        _open_index("ix_review_open_article", "article_id"),
        # The console's "oldest"/"newest" sorts walk open items by age alone.
        Index(
            "ix_review_open_age",
            "queue",
            "created_at",
            "id",
            postgresql_where=_OPEN,
            sqlite_where=_OPEN,
        ),
        # At most one spot check per revision, ever: redelivered scoring samples nothing twice.
        Index(
            "uq_review_spot_check_revision",
            "comment_id",
            "revision",
            unique=True,
            postgresql_where=_SPOT_CHECK,
            sqlite_where=_SPOT_CHECK,
        ),
        # At most one open item per comment.
        Index(
            "uq_review_open_comment",
            "comment_id",
            unique=True,
            postgresql_where=_OPEN,
            sqlite_where=_OPEN,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"))
    revision: Mapped[int]
    queue: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open|resolved|withdrawn
    priority: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str | None] = mapped_column(String(64))
    reasons: Mapped[list[str]] = mapped_column(JSONType, default=list)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    article_id: Mapped[str] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(8))
    author_source: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claim_expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(120))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
