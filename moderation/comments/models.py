"""Comments, their revisions, decisions and audit events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from moderation.db import Base, JSONType, UTCDateTime, utcnow

STATUSES = ("pending", "approved", "rejected", "queued", "deleted")


class Comment(Base):
    """The current state of one site comment; revisions and decisions hang off it."""

    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("site_id", "external_id"),
        # The sweeper looks for comments left pending.
        Index("ix_comments_status_enqueued", "status", "scoring_enqueued_at"),
        # history.same_body_within and history.author_rate.
        Index("ix_comments_body_hash_received", "body_hash", "received_at"),
        Index("ix_comments_author_received", "author_id", "received_at"),
        # The console's comment lists (newest first) and an article's comments.
        Index("ix_comments_received", "received_at", "id"),
        Index("ix_comments_site_article", "site_id", "article_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    external_id: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
    article_id: Mapped[str] = mapped_column(String(200))
    article: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    parent_id: Mapped[str | None] = mapped_column(String(200))
    revision: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    queue: Mapped[str | None] = mapped_column(String(16))
    priority: Mapped[int] = mapped_column(default=0)
    # The site's hint (up to 16) until a decision stores the detected language.
    language: Mapped[str | None] = mapped_column(String(16))
    body_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    scoring_enqueued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class CommentRevision(Base):
    """One version of a comment as the site sent it (the payload is kept verbatim)."""

    __tablename__ = "comment_revisions"
    __table_args__ = (
        UniqueConstraint("comment_id", "revision"),
        # The retention sweep walks the revisions still holding identifiers, oldest first.
        Index(
            "ix_revisions_identifiers_due",
            "received_at",
            postgresql_where=text("identifiers_erased_at IS NULL"),
            sqlite_where=text("identifiers_erased_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"))
    revision: Mapped[int]
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    payload_hash: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    body_text: Mapped[str] = mapped_column(Text)
    links: Mapped[list[str]] = mapped_column(JSONType, default=list)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the payload's IP address and user agent were erased (retention, erasure).
    identifiers_erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Decision(Base):
    """A decision on one revision, automatic or by a moderator, with its full record."""

    __tablename__ = "decisions"
    __table_args__ = (
        Index("ix_decisions_comment", "comment_id", "id"),
        # At most one automatic decision per revision: the guard that makes
        # redelivered or duplicated scoring tasks harmless.
        Index(
            "uq_decisions_auto_per_revision",
            "comment_id",
            "revision",
            unique=True,
            postgresql_where=text("decided_by = 'auto'"),
            sqlite_where=text("decided_by = 'auto'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"))
    revision: Mapped[int]
    action: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str | None] = mapped_column(String(64))
    record: Mapped[dict[str, Any]] = mapped_column(JSONType)
    ruleset_version: Mapped[str | None] = mapped_column(String(80))
    model_version: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Event(Base):
    """The audit trail: every state change of a comment, with who and why."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_comment", "comment_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"))
    revision: Mapped[int]
    kind: Mapped[str] = mapped_column(String(32))
    # "reader:" + source (32) + ":" + reporter id (200) for reader reports.
    actor: Mapped[str] = mapped_column(String(255))
    reason: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
