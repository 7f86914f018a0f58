"""The audit of data-subject requests (export, erasure) about an author."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from moderation.db import Base, UTCDateTime, utcnow


class PrivacyRequest(Base):
    """One export or erasure, who asked for it and when (no personal data kept here)."""

    __tablename__ = "privacy_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # export | erase
    actor: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
