"""``HistoryFacts`` backed by the database: indexed counts, computed only when a rule asks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.comments.models import Comment
from moderation.db import utcnow


class DatabaseHistory:
    """History of one comment, counted with the ``(body_hash|author_id, received_at)`` indexes."""

    def __init__(self, session: Session, comment: Comment) -> None:
        self.session, self.comment = session, comment

    def same_body_count(self, within: dt.timedelta) -> int:
        """Other comments on the site with the same body in the window."""
        since = utcnow() - within
        return (
            self.session.scalar(
                select(func.count())
                .select_from(Comment)
                .where(
                    Comment.body_hash == self.comment.body_hash,
                    Comment.received_at >= since,
                    Comment.site_id == self.comment.site_id,
                    Comment.id != self.comment.id,
                )
            )
            or 0
        )

    def author_comment_count(self, within: dt.timedelta) -> int:
        """Comments by this author in the window, this one included."""
        since = utcnow() - within
        return (
            self.session.scalar(
                select(func.count())
                .select_from(Comment)
                .where(Comment.author_id == self.comment.author_id, Comment.received_at >= since)
            )
            or 0
        )

    def flags_weight(self) -> float:
        """Weighted reader reports on this comment."""
        from moderation.flags.service import flags_weight

        return flags_weight(self.session, self.comment.id)
