"""Appeals (DSA art. 20): a complaint against a rejection, decided by another human.

Filed by the site for the comment's author or one of its notifiers, within the window
of the statement (``MODERATION_APPEAL_DAYS``, never under six months). It opens an item
in the ``appeals`` queue; a moderator resolves it (``review/appeals.py``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.authors.models import Author
from moderation.comments.audit import record_event
from moderation.comments.models import Comment
from moderation.db import utcnow
from moderation.dsa.models import Appeal, Statement
from moderation.dsa.statements import latest_for_comment
from moderation.exceptions import Conflict, Forbidden, NotFound
from moderation.flags.models import Flag
from moderation.queue.items import open_item


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
