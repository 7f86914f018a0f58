"""Console decisions: held callbacks, undo within the window, bulk and reversal.

A moderator's decision in the console goes through ``service.resolve`` like the API's;
its callback is then held for the undo window, so the site hears only the outcome that
stands. ``undo`` puts the item back in its queue and supersedes the held callback.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from moderation.accounts.models import User
from moderation.authors.service import move_status
from moderation.callbacks.models import Delivery
from moderation.callbacks.service import hold_pending, supersede_pending
from moderation.comments.audit import record_event
from moderation.comments.models import Comment, Decision
from moderation.db import utcnow
from moderation.exceptions import Conflict, Expired, Invalid, NotFound, Stale
from moderation.flags.models import Flag
from moderation.queue.models import ReviewItem
from moderation.review import service, spot_checks
from moderation.review.decisions import (
    STATUS_FOR_ACTION,
    apply_decision,
    new_decision,
    set_status,
)
from moderation.review.versions import check_versions

#: Seconds a console decision can be undone; its callback waits this long.
UNDO_SECONDS = 10.0
# An undo sent just as the window closes still counts if the callback has not gone.
_GRACE = dt.timedelta(seconds=2)


@dataclass
class Outcome:
    """What a (bulk) decision did: items decided, and items skipped with why."""

    decided: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)


def decide(
    session: Session,
    *,
    item_ids: list[int],
    user: User,
    action: str,
    reason: str | None,
    hold_seconds: float = UNDO_SECONDS,
    seen: dict[int, str] | None = None,
    message: str | None = None,
) -> Outcome:
    """Resolve each item as the API does, holding its callback for the undo window.

    ``seen``: the version of each item the moderator saw; any item changed since refuses
    the whole request (``versions.check_versions``). None: a server-chosen list (an
    author's items). An item someone else takes meanwhile is skipped (its guarded UPDATE
    changed nothing); a comment that moved on mid-way (``Stale``) fails the unit of work.
    """
    if action not in ("approve", "reject"):
        raise Invalid("Action must be approve or reject.", fields={"action": ["Unknown."]})
    item_ids = list(dict.fromkeys(item_ids))
    if seen is not None:
        check_versions(session, item_ids, seen)
    outcome = Outcome()
    for item_id in item_ids:
        try:
            item = service.resolve(
                session,
                item_id=item_id,
                user=user,
                action=action,
                reason=reason,
                note=None,
                message=message,
            )
        except Stale:
            raise
        except (Conflict, NotFound) as exc:
            outcome.skipped[item_id] = exc.message
            continue
        hold_pending(session, comment_id=item.comment_id, seconds=hold_seconds)
        outcome.decided.append(item_id)
    return outcome


def author_items(session: Session, *, author_id: int) -> list[int]:
    """Open queue items of one author's comments (for "reject all of this author's")."""
    query = (
        select(ReviewItem.id)
        .join(Comment, Comment.id == ReviewItem.comment_id)
        .where(ReviewItem.status == "open", Comment.author_id == author_id)
        # Spot checks are published comments awaiting a blind label, not held ones.
        .where(ReviewItem.queue != spot_checks.QUEUE)
        .order_by(ReviewItem.id)
    )
    return list(session.scalars(query))


def undo(session: Session, *, item_id: int, user: User, window: float = UNDO_SECONDS) -> ReviewItem:
    """Put a just-decided item back in its queue; its held callback is never sent."""
    item = service.get_item(session, item_id)
    if item.status != "resolved" or item.resolved_by != user.name:
        raise Conflict("Only your own decision on this item can be undone.")
    now = utcnow()
    if item.resolved_at is None or now - item.resolved_at > dt.timedelta(seconds=window) + _GRACE:
        raise Expired("The undo window has closed; reverse it from My decisions.")
    comment = session.get_one(Comment, item.comment_id, populate_existing=True)
    decision = _own_decision(session, comment, item, user)
    _check_unsent(session, decision)
    supersede_pending(session, comment_id=comment.id)
    spot_check = item.queue == spot_checks.QUEUE
    # An undone spot check label leaves the approval it sampled standing; anything else is held.
    values: dict[str, object] = {"status": "queued", "queue": item.queue, "decided_at": None}
    if spot_check:
        values = {"status": "approved", "queue": None, "decided_at": now}
    values.update(priority=item.priority, updated_at=now)
    set_status(
        session,
        comment=comment,
        revision=item.revision,
        expected_status=decision.status,
        values=values,
    )
    _reopen(session, item)
    move_status(session, author_id=comment.author_id, old=decision.status, new=comment.status)
    _reopen_flags(session, item)
    if spot_check:
        _add(
            session,
            comment,
            decision.revision,
            spot_checks.restored_record(decision.record, user, decision.id),
        )
    else:
        _add_review_decision(session, comment, decision, user)
    record_event(session, comment, "undone", actor=f"moderator:{user.name}", undo_of=decision.id)
    session.refresh(item)
    return item


def _own_decision(session: Session, comment: Comment, item: ReviewItem, user: User) -> Decision:
    decision = session.scalar(
        select(Decision)
        .where(Decision.comment_id == comment.id, Decision.revision == item.revision)
        .order_by(Decision.id.desc())
        .limit(1)
    )
    if decision is None or decision.decided_by != f"moderator:{user.name}":
        raise Conflict("The comment was decided again since; nothing to undo.")
    return decision


def _check_unsent(session: Session, decision: Decision) -> None:
    # The site must never hear an outcome that is then taken back.
    sent = session.scalar(
        select(func.count()).where(
            Delivery.decision_id == decision.id,
            (Delivery.status != "pending") | (Delivery.attempts > 0),
        )
    )
    if sent:
        raise Expired("The site was already told; reverse it from My decisions.")


def _reopen(session: Session, item: ReviewItem) -> None:
    reopened = session.execute(
        update(ReviewItem)
        .where(ReviewItem.id == item.id, ReviewItem.status == "resolved")
        .values(status="open", resolved_by=None, resolved_at=None)
        .execution_options(synchronize_session=False)
    )
    if reopened.rowcount != 1:  # type: ignore[attr-defined]
        raise Stale("The item changed while it was being undone.")


def _reopen_flags(session: Session, item: ReviewItem) -> None:
    # The decision settled the reports made since the comment's previous resolution.
    previous = session.scalar(
        select(func.max(ReviewItem.resolved_at)).where(
            ReviewItem.comment_id == item.comment_id, ReviewItem.id != item.id
        )
    )
    query = update(Flag).where(Flag.comment_id == item.comment_id, Flag.outcome.is_not(None))
    if previous is not None:
        query = query.where(Flag.created_at > previous)
    session.execute(query.values(outcome=None).execution_options(synchronize_session=False))


def _add_review_decision(session: Session, comment: Comment, undone: Decision, user: User) -> None:
    # The record shows why it was held again, and which decision the undo took back.
    held = session.scalar(
        select(Decision)
        .where(Decision.comment_id == comment.id, Decision.id < undone.id)
        .order_by(Decision.id.desc())
        .limit(1)
    )
    record = dict(held.record) if held is not None else {}
    record.update(
        action="review",
        decided_by=f"moderator:{user.name}",
        reason=record.get("reason") or "review",
        undo_of=undone.id,
        decided_at=utcnow().isoformat(),
    )
    _add(session, comment, undone.revision, record)


def _add(session: Session, comment: Comment, revision: int, record: dict[str, Any]) -> None:
    session.add(new_decision(comment, revision, record))  # set_status has set its status
    session.flush()


def my_decisions(session: Session, *, user: User, limit: int = 50) -> list[Decision]:
    """The moderator's most recent decisions, newest first."""
    query = (
        select(Decision)
        .where(Decision.decided_by == f"moderator:{user.name}", Decision.action != "review")
        .order_by(Decision.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def reverse(session: Session, *, decision_id: int, user: User, reason: str | None) -> Decision:
    """Turn one of the moderator's past decisions around (approve <-> reject), audited."""
    decision = session.get(Decision, decision_id)
    if decision is None or decision.decided_by != f"moderator:{user.name}":
        raise NotFound(f"No decision {decision_id} of yours.")
    comment = session.get_one(Comment, decision.comment_id, populate_existing=True)
    if comment.revision != decision.revision or comment.status != decision.status:
        raise Conflict("The comment changed since this decision; open it in the queue.")
    action = "approve" if decision.action == "reject" else "reject"
    if reason and reason not in service.allowed_reasons(_reasons()):
        raise Invalid("Unknown reason code.", fields={"reason": ["Unknown reason code."]})
    record = {
        # A reversed spot check label is still the spot check's (blind) label.
        **{k: v for k, v in decision.record.items() if k in _REVERSE_KEEPS},
        "action": action,
        "decided_by": f"moderator:{user.name}",
        "reason": reason if action == "reject" else None,
        "reverses": decision.id,
        "decided_at": utcnow().isoformat(),
    }
    new = apply_decision(
        session,
        comment=comment,
        revision=decision.revision,
        expected_status=STATUS_FOR_ACTION[decision.action],
        record=record,
    )
    record_event(session, comment, "reversed", actor=f"moderator:{user.name}", reverses=decision.id)
    return new


_REVERSE_KEEPS = ("rules", "scores", "labels", "spot_check", "blind", "sampled_decision")


def _reasons() -> tuple[str, ...]:
    return tuple(current_app.config["REASON_CODES"])
