"""A news site that posts comments to us and receives decisions back."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from moderation.db import Base, UTCDateTime, utcnow
from moderation.localtime import DEFAULT_TIME_ZONE


class Site(Base):
    """A client site, identified by its slug; its secret is stored encrypted."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    callback_url: Mapped[str] = mapped_column(Text)
    secret_enc: Mapped[str] = mapped_column(Text)
    previous_secret_enc: Mapped[str | None] = mapped_column(Text)
    previous_secret_expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: The secret Coral generated for our external moderation phase (``empsec_...``).
    coral_secret_enc: Mapped[str | None] = mapped_column(Text)
    #: Still accepts the deprecated ``sha256=`` signature on requests with a body: sites
    #: created before ``v2=`` (migration 0011), until they turn it off.
    legacy_signatures: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: Where its people live: dates in the console and to authors are shown in this zone.
    time_zone: Mapped[str] = mapped_column(
        String(64), default=DEFAULT_TIME_ZONE, server_default=DEFAULT_TIME_ZONE
    )
    #: The reasons its moderators may pick to reject, comma-separated; None: the default set.
    reject_reasons: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
