"""What every decision owes under the DSA: a statement for a rejection, notifiers told."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.callbacks.service import enqueue_delivery
from moderation.comments.models import Comment, Decision
from moderation.db import utcnow
from moderation.dsa.statements import issue_for_decision, statement_view
from moderation.flags.models import Flag
from moderation.sites.models import Site


def decision_statement(
    session: Session, *, comment: Comment, decision: Decision
) -> dict[str, Any] | None:
    """Issue the statement of a rejection; the callback's extra ``statement`` key, or None."""
    if decision.status != "rejected":
        return None
    statement = issue_for_decision(session, comment=comment, decision=decision)
    site = session.get_one(Site, comment.site_id)
    return {"statement": statement_view(statement, site, comment)}


def notify_notifiers(session: Session, *, comment: Comment, decision: Decision) -> None:
    """A human decided a comment under notice: call back ``notice.decided`` for each notifier.

    Art. 16(5): the notifier learns the decision and their redress without undue delay.
    Only moderators decide notices; an automatic decision leaves them open.
    """
    if decision.decided_by == "auto":
        return
    open_notices = session.scalars(
        select(Flag).where(
            Flag.comment_id == comment.id, Flag.reason == "illegal", Flag.notified_at.is_(None)
        )
    )
    for notice in open_notices:
        notice.notified_at = utcnow()
        enqueue_delivery(
            session,
            comment=comment,
            decision=decision,
            supersede=False,
            event="notice.decided",
            extra={"notice": notice_outcome(notice, decision)},
        )


def notice_outcome(notice: Flag, decision: Decision) -> dict[str, Any]:
    """What the site tells its notifier (their own identity stays with the site)."""
    removed = decision.status == "rejected"
    return {
        "id": notice.id,
        "reporter": {"id": notice.reporter_id, "source": notice.reporter_source},
        "received_at": notice.created_at.isoformat(),
        "outcome": "removed" if removed else "kept",
        "decided_at": decision.decided_at.isoformat(),
        "automated": False,
        "redress": (
            "Le signalant peut contester la décision auprès du site (réclamation interne), "
            "saisir un organisme de règlement extrajudiciaire des litiges certifié "
            "(art. 21 DSA) ou le juge."
        ),
    }
