"""Opening and withdrawing queue items (used by decisions, intake and reader flags)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

import moderation.events as events
from moderation.authors.models import Author
from moderation.db import utcnow
from moderation.queue.models import ReviewItem


class Queued(Protocol):
    """What an item records of a comment (a ``Comment``; the queue sits below comments)."""

    @property
    def id(self) -> int: ...

    @property
    def revision(self) -> int: ...

    @property
    def site_id(self) -> int: ...

    @property
    def article_id(self) -> str: ...

    @property
    def language(self) -> str | None: ...

    @property
    def author_id(self) -> int: ...


def open_item(
    session: Session,
    *,
    comment: Queued,
    queue: str,
    priority: int,
    reasons: list[str],
    replace: bool = True,
    source: str | None = None,
) -> ReviewItem:
    """Put the comment's current revision in a queue (replacing any open item).

    ``source``: the author's login source when the caller has it (else it is read).
    """
    if replace:
        withdraw_items(session, comment_id=comment.id)
    if source is None:
        source = session.scalar(select(Author.source).where(Author.id == comment.author_id))
    item = ReviewItem(
        comment_id=comment.id,
        revision=comment.revision,
        queue=queue,
        status="open",
        priority=priority,
        reason=reasons[0] if reasons else None,
        reasons=list(dict.fromkeys(r for r in reasons if r)),
        site_id=comment.site_id,
        article_id=comment.article_id,
        language=comment.language,
        author_source=source or "native",
    )
    session.add(item)
    events.publish(session, kind="opened", queue=queue)
    return item


def withdraw_items(session: Session, *, comment_id: int) -> None:
    """Take the comment out of every queue (a new revision, a deletion, a decision)."""
    session.execute(
        update(ReviewItem)
        .where(ReviewItem.comment_id == comment_id, ReviewItem.status == "open")
        .values(status="withdrawn", claimed_by=None, claim_expires_at=None)
        .execution_options(synchronize_session=False)
    )


def free_for(user_name: str, now: dt.datetime) -> Any:
    """An item this moderator may act on: unclaimed, claimed by them, or its lease expired."""
    return or_(
        ReviewItem.claimed_by.is_(None),
        ReviewItem.claimed_by == user_name,
        ReviewItem.claim_expires_at < now,
    )


def take_item(
    session: Session,
    *,
    item_id: int,
    user_name: str,
    now: dt.datetime,
    values: dict[str, Any],
    except_queue: str | None = None,
) -> ReviewItem | None:
    """Write ``values`` to an open item this moderator may act on; the item, or None if not.

    One conditional UPDATE … RETURNING: of two moderators racing on one item exactly
    one wins, and the winner has the item's row without reading it before or after.
    """
    guard = [ReviewItem.id == item_id, ReviewItem.status == "open", free_for(user_name, now)]
    if except_queue is not None:
        guard.append(ReviewItem.queue != except_queue)
    statement = (
        update(ReviewItem)
        .where(*guard)
        .values(**values)
        .returning(ReviewItem)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    return session.scalars(statement).one_or_none()


def resolved_values(user_name: str, now: dt.datetime) -> dict[str, Any]:
    """What resolving writes on an item."""
    values: dict[str, Any] = {"status": "resolved", "resolved_by": user_name, "resolved_at": now}
    return values | {"claimed_by": None, "claim_expires_at": None}


def close_item(session: Session, *, item_id: int, user_name: str) -> bool:
    """Resolve an open item unless another moderator holds it; True if this call won."""
    now = utcnow()
    values = resolved_values(user_name, now)
    return (
        take_item(session, item_id=item_id, user_name=user_name, now=now, values=values) is not None
    )
