"""What every decision owes under the DSA: a statement for a rejection (art. 17)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from moderation.comments.models import Comment, Decision
from moderation.dsa.statements import issue_for_decision, statement_view
from moderation.sites.models import Site


def decision_statement(
    session: Session, *, comment: Comment, decision: Decision, notices: bool = True
) -> dict[str, Any] | None:
    """Issue the statement of a rejection; the callback's extra ``statement`` key, or None.

    ``notices`` False: no notice of illegal content was filed (no look-up needed).
    """
    if decision.status != "rejected":
        return None
    statement = issue_for_decision(session, comment=comment, decision=decision, notices=notices)
    site = session.get_one(Site, comment.site_id)
    return {"statement": statement_view(statement, site, comment)}
