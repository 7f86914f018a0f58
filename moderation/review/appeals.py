"""Resolving an appeal (DSA art. 20): ``approve`` reverses the rejection, ``reject`` upholds it.

Filing one is ``dsa/appeals.py``; deciding one writes a decision, so it sits in this layer.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.accounts.models import User
from moderation.callbacks.service import enqueue_delivery
from moderation.comments.audit import record_event
from moderation.comments.models import Comment, Decision
from moderation.db import utcnow
from moderation.dsa.appeals import appeal_view
from moderation.dsa.models import Appeal, Statement
from moderation.exceptions import Conflict, Forbidden
from moderation.queue.items import close_item
from moderation.queue.models import ReviewItem
from moderation.review.decisions import apply_decision


def resolve_appeal(
    session: Session, *, item: ReviewItem, user: User, action: str, note: str | None
) -> ReviewItem:
    """A moderator decides an appeal: ``approve`` reverses the rejection, ``reject`` upholds."""
    # The newest: an older one may be left open by a revision that withdrew its item.
    appeal = session.scalar(
        select(Appeal)
        .where(Appeal.comment_id == item.comment_id, Appeal.status == "open")
        .order_by(Appeal.id.desc())
        .limit(1)
    )
    if appeal is None:
        raise Conflict(f"Item {item.id} has no open appeal.")
    original = _decision_under_appeal(session, appeal)
    if original is not None and original.decided_by == f"moderator:{user.name}":
        raise Forbidden(
            "You took the decision under appeal: another moderator must decide it (DSA art. 20).",
            code="same_moderator",
        )
    _close_item(session, item, user)
    comment = session.get_one(Comment, item.comment_id, populate_existing=True)
    decision = original
    if action == "approve":
        decision = _reverse(session, comment, item, user, appeal, note)
    else:
        comment.queue = None
    appeal.status = "reversed" if action == "approve" else "upheld"
    appeal.decided_by, appeal.decided_at = f"moderator:{user.name}", utcnow()
    record_event(
        session,
        comment,
        "appeal_decided",
        actor=appeal.decided_by,
        outcome=appeal.status,
        appeal=appeal.id,
        note=note,
    )
    if decision is not None:
        enqueue_delivery(
            session,
            comment=comment,
            decision=decision,
            supersede=False,
            event="appeal.decided",
            extra={"appeal": appeal_view(appeal)},
        )
    session.refresh(item)
    return item


def _decision_under_appeal(session: Session, appeal: Appeal) -> Decision | None:
    statement = session.get_one(Statement, appeal.statement_id)
    return session.get(Decision, statement.decision_id) if statement.decision_id else None


def _close_item(session: Session, item: ReviewItem, user: User) -> None:
    """The same guard as any queue item: one moderator wins, the claim is respected."""
    if not close_item(session, item_id=item.id, user_name=user.name):
        session.refresh(item)
        state = item.status if item.status != "open" else f"claimed by {item.claimed_by}"
        raise Conflict(f"Item {item.id} is already {state}.")


def _reverse(
    session: Session,
    comment: Comment,
    item: ReviewItem,
    user: User,
    appeal: Appeal,
    note: str | None,
) -> Decision:
    record: dict[str, Any] = {
        "action": "approve",
        "decided_by": f"moderator:{user.name}",
        "reason": "appeal",
        "note": note,
        "appeal": appeal.id,
        "decided_at": utcnow().isoformat(),
    }
    return apply_decision(
        session, comment=comment, revision=item.revision, expected_status="rejected", record=record
    )
