"""Appeals (DSA art. 20): a complaint against a rejection, decided by another human.

Filed by the site for the comment's author or one of its notifiers, within the window
of the statement (``MODERATION_APPEAL_DAYS``, never under six months). It opens an item
in the ``appeals`` queue; ``approve`` reverses the rejection, ``reject`` upholds it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.accounts.models import User
from moderation.authors.models import Author
from moderation.callbacks.service import enqueue_delivery
from moderation.comments.audit import record_event
from moderation.comments.decisions import apply_decision
from moderation.comments.models import Comment, Decision
from moderation.db import utcnow
from moderation.dsa.models import Appeal, Statement
from moderation.dsa.statements import latest_for_comment
from moderation.exceptions import Conflict, Forbidden, NotFound
from moderation.flags.models import Flag
from moderation.queue.items import close_item, open_item
from moderation.queue.models import ReviewItem


def file_appeal(
    session: Session, *, comment: Comment, appellant: dict[str, str], text: str
) -> Appeal:
    """Open an appeal against the comment's latest statement (flushed)."""
    statement = _appealable(session, comment)
    role = _role(session, comment, appellant)
    taken = session.scalar(select(Appeal.id).where(Appeal.statement_id == statement.id))
    if taken is not None:
        raise Conflict(
            "This decision was appealed already; one appeal per decision.", code="already_appealed"
        )
    appeal = Appeal(
        statement_id=statement.id,
        comment_id=comment.id,
        site_id=comment.site_id,
        appellant_source=appellant["source"],
        appellant_id=appellant["id"],
        role=role,
        text=text,
        status="open",
    )
    session.add(appeal)
    session.flush()
    open_item(session, comment=comment, queue="appeals", priority=0, reasons=["appeal"])
    comment.queue = "appeals"
    actor = f"{role}:{appellant['source']}:{appellant['id']}"
    record_event(session, comment, "appealed", actor=actor, appeal=appeal.id, role=role)
    return appeal


def _appealable(session: Session, comment: Comment) -> Statement:
    if comment.status == "deleted":
        raise Conflict("This comment was deleted by the site.", code="comment_deleted")
    if comment.status != "rejected":
        raise Conflict(
            f"This comment is {comment.status}, not rejected: there is no decision to appeal.",
            code="not_rejected",
        )
    try:
        statement = latest_for_comment(session, comment)
    except NotFound as exc:
        raise Conflict("This rejection has no statement of reasons to appeal.") from exc
    if utcnow() > statement.appeal_until:
        until = statement.appeal_until.date().isoformat()
        raise Conflict(f"The appeal window closed on {until}.", code="appeal_window_closed")
    return statement


def _role(session: Session, comment: Comment, appellant: dict[str, str]) -> str:
    author = session.get_one(Author, comment.author_id)
    if (author.source, author.external_id) == (appellant["source"], appellant["id"]):
        return "author"
    notifier = session.scalar(
        select(Flag.id).where(
            Flag.comment_id == comment.id,
            Flag.reason == "illegal",
            Flag.reporter_source == appellant["source"],
            Flag.reporter_id == appellant["id"],
        )
    )
    if notifier is None:
        raise Forbidden(
            "Only the comment's author or a notifier of it may appeal.", code="not_a_party"
        )
    return "notifier"


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


def open_appeals(session: Session, comment_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The open appeal of each comment, with its text, as moderators see it."""
    if not comment_ids:
        return {}
    query = select(Appeal).where(Appeal.comment_id.in_(comment_ids), Appeal.status == "open")
    return {a.comment_id: appeal_view(a) | {"text": a.text} for a in session.scalars(query)}


def appeal_view(appeal: Appeal) -> dict[str, Any]:
    """An appeal as the site sees it (its text stays here)."""
    return {
        "id": appeal.id,
        "appellant": {"id": appeal.appellant_id, "source": appeal.appellant_source},
        "role": appeal.role,
        "status": appeal.status,
        "created_at": appeal.created_at.isoformat(),
        "decided_at": appeal.decided_at.isoformat() if appeal.decided_at else None,
        "redress": "Vous pouvez encore saisir un organisme de règlement extrajudiciaire des "
        "litiges certifié (art. 21 DSA) ou le juge.",
    }
