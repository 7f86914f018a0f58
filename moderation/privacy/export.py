"""Everything held about an author, as JSON (GDPR art. 15 and 20)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.authors.models import Author, Sanction
from moderation.authors.service import sanction_view
from moderation.comments.models import Comment, CommentRevision, Decision
from moderation.dsa.appeals import appeal_view
from moderation.dsa.models import Appeal, Statement
from moderation.dsa.statements import statement_view
from moderation.flags.models import Flag
from moderation.privacy.models import PrivacyRequest
from moderation.review.authors import author_view
from moderation.sites.models import Site


def export_author(session: Session, *, author: Author, actor: str) -> dict[str, Any]:
    """The author's data: account, comments with revisions and decisions, statements,
    sanctions, the reports they made and received, and their appeals. Audited."""
    site = session.get_one(Site, author.site_id)
    comments = list(
        session.scalars(select(Comment).where(Comment.author_id == author.id).order_by(Comment.id))
    )
    ids = [c.id for c in comments]
    by_id = {c.id: c for c in comments}
    session.add(PrivacyRequest(site_id=site.id, author_id=author.id, kind="export", actor=actor))
    statements = list(
        session.scalars(
            select(Statement).where(Statement.author_id == author.id).order_by(Statement.id)
        )
    )
    return {
        "site": site.slug,
        "author": {**author_view(session, author), "account_created_at": _iso(author)},
        "comments": [_comment(session, c) for c in comments],
        "statements": [statement_view(s, site, by_id.get(s.comment_id or 0)) for s in statements],
        "sanctions": [
            sanction_view(s)
            for s in session.scalars(
                select(Sanction).where(Sanction.author_id == author.id).order_by(Sanction.id)
            )
        ],
        "reports_made": [_report(session, f, mine=True) for f in _reports_by(session, author)],
        "reports_received": [
            _report(session, f, mine=False)
            for f in session.scalars(select(Flag).where(Flag.comment_id.in_(ids)))
        ],
        "appeals": [appeal_view(a) | {"text": a.text} for a in _appeals(session, author)],
    }


def _iso(author: Author) -> str | None:
    return author.account_created_at.isoformat() if author.account_created_at else None


def _comment(session: Session, comment: Comment) -> dict[str, Any]:
    revisions = session.scalars(
        select(CommentRevision)
        .where(CommentRevision.comment_id == comment.id)
        .order_by(CommentRevision.revision)
    )
    decisions = session.scalars(
        select(Decision).where(Decision.comment_id == comment.id).order_by(Decision.id)
    )
    return {
        "id": comment.external_id,
        "article": comment.article,
        "status": comment.status,
        "received_at": comment.received_at.isoformat(),
        "revisions": [
            {
                "revision": r.revision,
                "received_at": r.received_at.isoformat(),
                "body": r.body_text,
                "payload": r.payload,
            }
            for r in revisions
        ],
        "decisions": [
            {"revision": d.revision, "status": d.status, "decided_at": d.decided_at.isoformat()}
            | {"record": d.record}
            for d in decisions
        ],
    }


def _reports_by(session: Session, author: Author) -> list[Flag]:
    return list(
        session.scalars(
            select(Flag)
            .where(
                Flag.site_id == author.site_id,
                Flag.reporter_source == author.source,
                Flag.reporter_id == author.external_id,
            )
            .order_by(Flag.id)
        )
    )


def _report(session: Session, flag: Flag, *, mine: bool) -> dict[str, Any]:
    """A report; on the author's own comments, without who made it (their data, not ours)."""
    view: dict[str, Any] = {
        "comment": session.get_one(Comment, flag.comment_id).external_id,
        "reason": flag.reason,
        "created_at": flag.created_at.isoformat(),
        "outcome": flag.outcome,
    }
    if mine:
        view.update(note=flag.note, law=flag.law, explanation=flag.explanation)
        view.update(name=flag.notifier_name, email=flag.notifier_email)
    return view


def _appeals(session: Session, author: Author) -> list[Appeal]:
    mine = (Appeal.appellant_source == author.source) & (Appeal.appellant_id == author.external_id)
    return list(
        session.scalars(
            select(Appeal).where(Appeal.site_id == author.site_id, mine).order_by(Appeal.id)
        )
    )
