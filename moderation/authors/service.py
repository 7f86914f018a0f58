"""Authors: created on first comment, counters kept equal to their comments' outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, bindparam, or_, select, update
from sqlalchemy.orm import Session

from moderation.authors.models import Author, Sanction
from moderation.contracts import AuthorFacts
from moderation.db import utcnow
from moderation.exceptions import NotFound


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


_COUNTERS = {"approved": 0, "rejected": 1}
_AUTHORS = Author.__table__
assert isinstance(_AUTHORS, Table)
# Core, not ORM: one statement for every author of a batch (an executemany).
_MOVE = (
    update(_AUTHORS)
    .where(_AUTHORS.c.id == bindparam("author"))
    .values(
        approved_count=_AUTHORS.c.approved_count + bindparam("approved"),
        rejected_count=_AUTHORS.c.rejected_count + bindparam("rejected"),
    )
)


def move_status(session: Session, *, author_id: int, old: str | None, new: str) -> None:
    """Keep ``approved_count``/``rejected_count`` equal to the author's comments in those states.

    One atomic ``UPDATE … SET n = n + 1``: concurrent decisions on the same
    author's comments never lose a count (a read-modify-write would).
    """
    move_statuses(session, [(author_id, old, new)])


def move_statuses(session: Session, moves: Sequence[tuple[int, str | None, str]]) -> None:
    """``move_status`` for many comments: one executemany of the net steps, in author order.

    In id order, so that two workers deciding overlapping batches take the authors'
    row locks in the same order and never deadlock.
    """
    steps: dict[int, list[int]] = {}
    for author_id, old, new in moves:
        for status, step in ((old, -1), (new, 1)):
            index = _COUNTERS.get(status or "")
            if index is not None and old != new:
                steps.setdefault(author_id, [0, 0])[index] += step
    params = [
        {"author": author_id, "approved": n[0], "rejected": n[1]}
        for author_id, n in sorted(steps.items())
        if any(n)
    ]
    if params:
        session.execute(_MOVE, params)


def account_age_days(author: Author) -> float:
    """Days since the site account was created (or since we first saw the author)."""
    since = author.account_created_at or author.first_seen_at
    return max(0.0, (utcnow() - since).total_seconds() / 86400)


def in_force(now: Any = None) -> ColumnElement[bool]:
    """SQL condition of a sanction in force ``now`` (a time or a bound parameter; default now)."""
    now = utcnow() if now is None else now
    return and_(Sanction.revoked_at.is_(None), or_(Sanction.until.is_(None), Sanction.until > now))


def active_sanctions(session: Session, author_id: int) -> tuple[str, ...]:
    """Kinds of sanctions in force now."""
    query = select(Sanction.kind).where(Sanction.author_id == author_id, in_force())
    return tuple(session.scalars(query))


def trust_level(author: Author, sanctions: tuple[str, ...] = ()) -> int:
    """0 new, 1 basic, 2 member, 3 trusted: from history, account age and verified e-mail.

    - 1: at least 3 approved comments and under 30 % rejected;
    - 2: at least 20 approved, under 10 % rejected, account 30 days old;
    - 3: at least 100 approved, under 5 % rejected, account 180 days old, e-mail verified;
    - an unverified e-mail caps the level at 1; a ``trust`` sanction grants 3.
    """
    if "trust" in sanctions:
        return 3
    decided = author.approved_count + author.rejected_count
    rate = author.rejected_count / decided if decided else 0.0
    age = account_age_days(author)
    level = 0
    for needed, max_rate, min_age, wanted in (
        (3, 0.3, 0, 1),
        (20, 0.1, 30, 2),
        (100, 0.05, 180, 3),
    ):
        if author.approved_count >= needed and rate < max_rate and age >= min_age:
            level = wanted
    if level == 3 and not author.email_verified:
        level = 2
    return min(level, 1) if author.email_verified is False else level


def author_facts(session: Session, author: Author) -> AuthorFacts:
    """What the rules may know about this author now (sanctions take effect at once)."""
    return facts_of(author, active_sanctions(session, author.id))


def facts_of(author: Author, sanctions: tuple[str, ...]) -> AuthorFacts:
    """``author_facts`` from the sanctions in force, already read."""
    return AuthorFacts(
        source=author.source,
        email_verified=author.email_verified,
        account_age_days=account_age_days(author) if author.account_created_at else None,
        trust=trust_level(author, sanctions),
        approved_count=author.approved_count,
        rejected_count=author.rejected_count,
        sanctions=sanctions,
    )


def find_author(session: Session, *, site_id: int, source: str, external_id: str) -> Author:
    """The author, or 404."""
    author = session.scalar(
        select(Author).where(
            Author.site_id == site_id, Author.source == source, Author.external_id == external_id
        )
    )
    if author is None:
        raise NotFound(f"No author {source}/{external_id}.")
    return author


def sanction_view(sanction: Sanction) -> dict[str, Any]:
    """A sanction as the API shows it."""
    return {
        "id": sanction.id,
        "kind": sanction.kind,
        "reason": sanction.reason,
        "until": sanction.until.isoformat() if sanction.until else None,
        "created_by": sanction.created_by,
        "created_at": sanction.created_at.isoformat(),
        "active": sanction.revoked_at is None
        and (sanction.until is None or sanction.until > utcnow()),
    }


def author_summary(author: Author, sanctions: tuple[str, ...]) -> dict[str, Any]:
    """Standing shown beside each queue item (no extra queries)."""
    decided = author.approved_count + author.rejected_count
    return {
        "id": author.external_id,
        "source": author.source,
        "name": author.name,
        "email_verified": author.email_verified,
        "approved_count": author.approved_count,
        "rejected_count": author.rejected_count,
        "rejection_rate": round(author.rejected_count / decided, 3) if decided else 0.0,
        "trust": trust_level(author, sanctions),
        "sanctions": list(sanctions),
    }
