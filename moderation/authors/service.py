"""Authors: created on first comment, counters kept equal to their comments' outcomes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.authors.models import Author
from moderation.db import utcnow
from moderation.scoring.contracts import AuthorFacts


def upsert_author(session: Session, *, site_id: int, data: dict[str, Any]) -> Author:
    """Find or create the author and refresh what the site tells us about them."""
    author = session.scalar(
        select(Author).where(
            Author.site_id == site_id,
            Author.source == data["source"],
            Author.external_id == data["id"],
        )
    )
    if author is None:
        author = Author(site_id=site_id, source=data["source"], external_id=data["id"])
        author.approved_count = author.rejected_count = 0
        session.add(author)
    for key, attr in (("name", "name"), ("email_verified", "email_verified")):
        if data.get(key) is not None:
            setattr(author, attr, data[key])
    if data.get("created_at") is not None:
        author.account_created_at = data["created_at"]
    return author


def move_status(author: Author, old: str | None, new: str) -> None:
    """Keep ``approved_count``/``rejected_count`` equal to the author's comments in those states."""
    if old == new:
        return
    for status, step in ((old, -1), (new, 1)):
        if status == "approved":
            author.approved_count += step
        elif status == "rejected":
            author.rejected_count += step


def author_facts(author: Author) -> AuthorFacts:
    """What the rules may know about this author now."""
    age = None
    if author.account_created_at is not None:
        age = max(0.0, (utcnow() - author.account_created_at).total_seconds() / 86400)
    return AuthorFacts(
        source=author.source,
        email_verified=author.email_verified,
        account_age_days=age,
        approved_count=author.approved_count,
        rejected_count=author.rejected_count,
    )
