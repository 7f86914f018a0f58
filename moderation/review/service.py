"""The review queue: open items, pages with filters, claims and resolutions."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app
from sqlalchemy import exists, func, or_, select, tuple_, update
from sqlalchemy.orm import Session, aliased

from moderation.accounts.models import User
from moderation.accounts.scopes import site_scope
from moderation.comments.audit import record_event
from moderation.comments.models import Comment, Decision
from moderation.comments.search import search_ids
from moderation.db import utcnow
from moderation.exceptions import Conflict, Invalid, NotFound, Stale
from moderation.flags.models import Flag
from moderation.flags.service import settle_flags
from moderation.numbers import MAX_INT
from moderation.queue.items import resolved_values, take_item
from moderation.queue.models import ReviewItem
from moderation.review.appeals import resolve_appeal
from moderation.review.decisions import apply_decision
from moderation.review.spot_checks import QUEUE as SPOT_CHECK_QUEUE
from moderation.review.spot_checks import spot_check_record
from moderation.sites.models import Site

FILTERS = {
    "reason": ReviewItem.reason,
    "language": ReviewItem.language,
    "source": ReviewItem.author_source,
    "site": ReviewItem.site_id,
    "article": ReviewItem.article_id,
}


#: Orders a page can take: the API's (priority, then oldest) and the console's by age.
SORTS = ("priority", "oldest", "newest")


def list_queue(
    session: Session,
    *,
    queue: str,
    filters: dict[str, Any],
    limit: int,
    cursor: str | None,
    sort: str = "priority",
    sites: frozenset[int] | None = None,
) -> tuple[list[ReviewItem], str | None]:
    """One page of open items, highest priority first, then oldest; and the next cursor.

    ``sites``: only those sites' items (a scoped moderator's); None: every site.
    """
    query = select(ReviewItem).where(ReviewItem.status == "open", ReviewItem.queue == queue)
    if sites is not None:
        query = query.where(ReviewItem.site_id.in_(sites))
    for name, value in filters.items():
        if value is not None and name == "section":
            query = query.where(_in_section(value))
        elif value is not None and name == "q":  # the console's search box
            query = query.where(ReviewItem.comment_id.in_(search_ids(session, value)))
        elif value is not None:
            query = query.where(FILTERS[name] == value)
    if cursor is None:
        items = list(session.scalars(query.order_by(*_ORDER[sort]).limit(limit + 1)))
    elif sort == "priority":
        items = _after(session, query, _decode(cursor), limit + 1)
    else:
        items = list(session.scalars(_by_age(query, _decode(cursor), sort).limit(limit + 1)))
    more = len(items) > limit
    items = items[:limit]
    return items, (_cursor(items[-1]) if more else None)


def _cursor(item: ReviewItem) -> str:
    raw = json.dumps([item.priority, item.created_at.isoformat(), item.id])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[int, dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        priority, created, item_id = json.loads(raw)
        created_at = dt.datetime.fromisoformat(created)
        priority, item_id = int(priority), int(item_id)
        # Only what _cursor writes: an aware time and integers the columns can hold.
        if created_at.tzinfo is None or max(abs(priority), abs(item_id)) > MAX_INT:
            raise ValueError(cursor)
    except (ValueError, TypeError, OverflowError) as exc:
        raise Invalid("Invalid cursor.", fields={"cursor": ["Invalid cursor."]}) from exc
    return priority, created_at, item_id


def _after(
    session: Session, query: Any, cursor: tuple[int, dt.datetime, int], wanted: int
) -> list[ReviewItem]:
    # Two index ranges instead of one OR: "(priority < p) OR (priority = p AND ...)" is a
    # filter over every item before the cursor (page 100: 4,951 rows, 12 ms, and growing
    # with depth). The rest of the cursor's priority, then the lower ones if needed.
    priority, created_at, item_id = cursor
    age = tuple_(ReviewItem.created_at, ReviewItem.id) > (created_at, item_id)
    same = query.where(ReviewItem.priority == priority, age).order_by(*_ORDER["oldest"])
    items = list(session.scalars(same.limit(wanted)))
    if len(items) < wanted:
        lower = query.where(ReviewItem.priority < priority).order_by(*_ORDER["priority"])
        items += session.scalars(lower.limit(wanted - len(items)))
    return items


_ORDER = {
    "priority": (ReviewItem.priority.desc(), ReviewItem.created_at, ReviewItem.id),
    "oldest": (ReviewItem.created_at, ReviewItem.id),
    "newest": (ReviewItem.created_at.desc(), ReviewItem.id.desc()),
}


def _in_section(section: str) -> Any:
    # The article's section lives with the comment only (not copied to the item).
    return (
        select(Comment.id)
        .where(
            Comment.id == ReviewItem.comment_id, Comment.article["section"].as_string() == section
        )
        .exists()
    )


def _by_age(query: Any, cursor: tuple[int, dt.datetime, int], sort: str) -> Any:
    # A row comparison (bound with the columns' types), so the index starts at the cursor.
    _priority, created_at, item_id = cursor
    age = tuple_(ReviewItem.created_at, ReviewItem.id)
    after = age < (created_at, item_id) if sort == "newest" else age > (created_at, item_id)
    return query.where(after).order_by(*_ORDER[sort])


def get_item(session: Session, item_id: int) -> ReviewItem:
    """The item, or 404."""
    item = session.get(ReviewItem, item_id)
    if item is None:
        raise NotFound(f"No queue item {item_id}.")
    return item


def check_scope(session: Session, item_id: int, user: User) -> None:
    """404 for an item of a site ``user`` is not scoped to, as for one that does not exist."""
    scope = site_scope(session, user)
    if scope is None:  # unscoped: no read of the item before its guarded update
        return
    site_id = session.scalar(select(ReviewItem.site_id).where(ReviewItem.id == item_id))
    if site_id is not None and site_id not in scope:
        raise NotFound(f"No queue item {item_id}.")


def claim(session: Session, *, item_id: int, user: User) -> ReviewItem:
    """Take an exclusive lease on an open item; 409 if another moderator holds it."""
    check_scope(session, item_id, user)
    now = utcnow()
    expires = now + dt.timedelta(minutes=current_app.config["CLAIM_MINUTES"])
    values = {"claimed_by": user.name, "claim_expires_at": expires}
    item = take_item(session, item_id=item_id, user_name=user.name, now=now, values=values)
    if item is None:
        raise _conflict(session, item_id)
    comment = session.get_one(Comment, item.comment_id)
    record_event(
        session, comment, "claimed", actor=f"moderator:{user.name}", until=expires.isoformat()
    )
    return item


def release(session: Session, *, item_id: int, user: User) -> ReviewItem:
    """Give a claim back (admins may release anyone's)."""
    check_scope(session, item_id, user)
    item = get_item(session, item_id)
    holder = or_(ReviewItem.claimed_by == user.name, ReviewItem.claimed_by.is_(None))
    if user.role == "admin":
        holder = ReviewItem.id == item_id
    freed = session.execute(
        update(ReviewItem)
        .where(ReviewItem.id == item_id, ReviewItem.status == "open", holder)
        .values(claimed_by=None, claim_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    if freed.rowcount != 1:  # type: ignore[attr-defined]
        raise _conflict(session, item_id)
    comment = session.get_one(Comment, item.comment_id)
    record_event(session, comment, "released", actor=f"moderator:{user.name}")
    session.refresh(item)
    return item


def resolve(
    session: Session,
    *,
    item_id: int,
    user: User,
    action: str,
    reason: str | None,
    note: str | None,
    message: str | None = None,
) -> ReviewItem:
    """Decide an item: exactly one of two concurrent moderators wins, the other gets 409."""
    if reason and reason not in (allowed := allowed_reasons(current_app.config["REASON_CODES"])):
        message = f"Unknown reason code; allowed: {', '.join(sorted(allowed))}."
        raise Invalid(message, fields={"reason": [message]})
    check_scope(session, item_id, user)
    now = utcnow()
    values = resolved_values(user.name, now)
    # Appeals are decided apart (another human; approve reverses): left out of the UPDATE.
    item = take_item(
        session,
        item_id=item_id,
        user_name=user.name,
        now=now,
        values=values,
        except_queue="appeals",
    )
    if item is None:
        held = get_item(session, item_id)
        if held.queue == "appeals":  # DSA art. 20
            return resolve_appeal(session, item=held, user=user, action=action, note=note)
        raise _conflict(session, item_id)
    comment, previous, notices = _comment_with_decision(session, item.comment_id)
    settle_flags(session, comment_id=comment.id, upheld=action == "reject")
    record = _moderator_record(previous, user, action, reason, note)
    if action == "reject" and message and message.strip():
        record["message"] = message.strip()[:MESSAGE_LIMIT]
    # A spot check's label is blind and marked so; a rejection overturns the approval.
    if item.queue == SPOT_CHECK_QUEUE:
        record = spot_check_record(record, previous)
    try:
        apply_decision(
            session,
            comment=comment,
            revision=item.revision,
            expected_status=comment.status,
            record=record,
            closed=True,
            notices=notices,
        )
    except Stale as exc:  # the comment moved on (new revision, deletion) in between
        raise Stale("The comment changed while it was being resolved.") from exc
    return item


def _comment_with_decision(
    session: Session, comment_id: int
) -> tuple[Comment, Decision | None, bool]:
    # Read fresh, with its current revision's latest decision (the evidence kept), its
    # site (the statement and the callback need it) and whether readers filed notices of
    # illegal content (if not, the decision skips their two look-ups): one statement.
    # Locked, as ``add_notice`` locks it: a notice filed meanwhile is either seen here or
    # filed after this decision commits (and then routed on the decided comment).
    latest = aliased(Decision)
    newest = (
        select(func.max(latest.id))
        .where(latest.comment_id == Comment.id, latest.revision == Comment.revision)
        .correlate(Comment)
        .scalar_subquery()
    )
    notices = exists().where(Flag.comment_id == Comment.id, Flag.reason == "illegal")
    query = (
        select(Comment, Decision, Site, notices)
        .join(Site, Site.id == Comment.site_id)
        .outerjoin(Decision, Decision.id == newest)
        .where(Comment.id == comment_id)
        .with_for_update(of=Comment)
        .execution_options(populate_existing=True)
    )
    comment, decision, _site, filed = session.execute(query).one()
    return comment, decision, bool(filed)


def _moderator_record(
    previous: Decision | None, user: User, action: str, reason: str | None, note: str | None
) -> dict[str, Any]:
    # Keep the automatic decision's evidence, so the record still says why it was held.
    evidence = {k: v for k, v in (previous.record if previous else {}).items() if k in _EVIDENCE}
    return {
        **evidence,
        "action": action,
        "decided_by": f"moderator:{user.name}",
        "reason": reason,
        "note": note,
        "decided_at": utcnow().isoformat(),
    }


#: The longest message to an author (it goes into the statement and the callback).
MESSAGE_LIMIT = 1000

_EVIDENCE = (
    "rules",
    "labels",
    "scores",
    "explanations",
    "ruleset_version",
    "model_version",
    "rule",
)


def _conflict(session: Session, item_id: int) -> NotFound | Conflict:
    # The guarded UPDATE matched nothing, so nothing changed: say why from a fresh read.
    item = session.get(ReviewItem, item_id, populate_existing=True)
    if item is None:
        return NotFound(f"No queue item {item_id}.")
    if item.status != "open":
        return Conflict(f"Item {item_id} is already {item.status}.")
    return Conflict(f"Item {item_id} is claimed by {item.claimed_by}.")


def allowed_reasons(configured: tuple[str, ...]) -> set[str]:
    """Reason codes moderators may give: the configured list and every house-rule reason."""
    # The rules store (a higher layer) registers its live ruleset's reasons at app start.
    rule_reasons: Callable[[], Iterable[str]] = current_app.extensions.get("rule_reasons", tuple)
    return set(configured) | set(rule_reasons())
