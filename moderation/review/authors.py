"""An author as moderators see them (counts by outcome), and sanctions with their statement."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.authors.models import Author, Sanction
from moderation.authors.service import (
    account_age_days,
    active_sanctions,
    author_summary,
    sanction_view,
)
from moderation.comments.models import STATUSES, Comment
from moderation.dsa.statements import issue_for_sanction


def author_view(session: Session, author: Author) -> dict[str, Any]:
    """The full author record: counts by outcome, standing and every sanction."""
    counts = dict(
        session.execute(
            select(Comment.status, func.count())
            .where(Comment.author_id == author.id)
            .group_by(Comment.status)
        ).all()
    )
    sanctions = list(
        session.scalars(
            select(Sanction).where(Sanction.author_id == author.id).order_by(Sanction.id)
        )
    )
    return {
        **author_summary(author, active_sanctions(session, author.id)),
        "counts": {status: counts.get(status, 0) for status in STATUSES},
        "account_age_days": round(account_age_days(author), 1),
        "first_seen_at": author.first_seen_at.isoformat(),
        "sanction_history": [sanction_view(s) for s in sanctions],
    }


def add_sanction(
    session: Session,
    *,
    author: Author,
    kind: str,
    until: dt.datetime | None,
    reason: str | None,
    actor: str,
) -> Sanction:
    """Record a sanction; the pipeline reads it on the author's next comment."""
    sanction = Sanction(
        author_id=author.id, kind=kind, until=until, reason=reason, created_by=actor
    )
    session.add(sanction)
    session.flush()
    if kind in ("ban", "suspend"):  # a restriction of the account: DSA art. 17(1)(d)
        issue_for_sanction(session, author=author, sanction=sanction)
    return sanction
