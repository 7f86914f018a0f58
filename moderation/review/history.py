"""What was decided: comment lists with search, a comment's conversation, an article's comments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.authors.models import Author
from moderation.comments.models import Comment, CommentRevision, Decision
from moderation.comments.search import matching
from moderation.comments.texts import current_revision
from moderation.sites.models import Site

#: The lists a moderator can open: every comment, or those in one status.
STATUSES = ("all", "approved", "rejected", "queued", "pending", "deleted")
PAGE = 50
MAX_PARENTS = 20  # a reply chain deeper than this is shown from its twentieth parent


@dataclass(frozen=True)
class Row:
    """A comment as lists show it: its current text, author, site and latest decision."""

    comment: Comment
    text: str
    author: Author
    site: str
    decision: Decision | None


def list_comments(
    session: Session,
    *,
    status: str = "all",
    query: str | None = None,
    filters: dict[str, Any] | None = None,
    sites: frozenset[int] | None = None,
    page: int = 0,
) -> tuple[list[Row], bool]:
    """One page of comments, newest first, and whether there is a next page."""
    statement = _rows()
    if status != "all":
        statement = statement.where(Comment.status == status)
    if query and query.strip():
        statement = statement.where(matching(session, query))
    for name, value in (filters or {}).items():
        if value is not None:
            statement = statement.where(_FILTERS[name](value))
    if sites is not None:
        statement = statement.where(Comment.site_id.in_(sites))
    statement = statement.order_by(Comment.received_at.desc(), Comment.id.desc())
    rows = _load(session, statement.offset(page * PAGE).limit(PAGE + 1))
    return rows[:PAGE], len(rows) > PAGE


_FILTERS: dict[str, Callable[[str], Any]] = {
    "site": lambda slug: Site.slug == slug,
    "article": lambda article: Comment.article_id == article,
    "section": lambda section: Comment.article["section"].as_string() == section,
    "language": lambda language: Comment.language == language,
    "source": lambda source: Author.source == source,
}


def conversation(session: Session, comment: Comment) -> tuple[list[Row], list[Row]]:
    """The comment's parents (the thread's first comment first) and its direct replies."""
    parents: list[Row] = []
    parent_id, seen = comment.parent_id, {comment.external_id}
    while parent_id and parent_id not in seen and len(parents) < MAX_PARENTS:
        found = _load(session, _rows().where(*_on(comment.site_id, parent_id)))
        if not found:
            break
        parents.insert(0, found[0])
        seen.add(parent_id)
        parent_id = found[0].comment.parent_id
    replies = _load(
        session,
        _rows()
        .where(Comment.site_id == comment.site_id, Comment.parent_id == comment.external_id)
        .order_by(Comment.received_at, Comment.id),
    )
    return parents, replies


def article_comments(session: Session, *, site_id: int, article_id: str) -> list[Row]:
    """Every comment on an article, oldest first (at most a thousand)."""
    statement = (
        _rows()
        .where(Comment.site_id == site_id, Comment.article_id == article_id)
        .order_by(Comment.received_at, Comment.id)
        .limit(1000)
    )
    return _load(session, statement)


def one(session: Session, comment_id: int) -> Row | None:
    """One comment as lists show it."""
    found = _load(session, _rows().where(Comment.id == comment_id))
    return found[0] if found else None


def decisions_of(session: Session, comment_id: int) -> list[Decision]:
    """Every decision on the comment, oldest first."""
    query = select(Decision).where(Decision.comment_id == comment_id).order_by(Decision.id)
    return list(session.scalars(query))


def taken_back(session: Session, comment_ids: list[int]) -> dict[int, str]:
    """Decisions later undone or reversed on these comments: {decision id: "undone"|"reversed"}."""
    found: dict[int, str] = {}
    query = select(Decision.record).where(Decision.comment_id.in_(comment_ids))
    for record in session.scalars(query):
        for key, state in (("undo_of", "undone"), ("reverses", "reversed")):
            if isinstance(record.get(key), int):
                found[record[key]] = state
    return found


def _on(site_id: int, external_id: str) -> tuple[Any, ...]:
    return Comment.site_id == site_id, Comment.external_id == external_id


def _rows() -> Any:
    return (
        select(Comment, CommentRevision.body_text, Author, Site.slug)
        .join(CommentRevision, current_revision())
        .join(Author, Author.id == Comment.author_id)
        .join(Site, Site.id == Comment.site_id)
    )


def _load(session: Session, statement: Any) -> list[Row]:
    rows = session.execute(statement).all()
    latest = _latest_decisions(session, [row[0].id for row in rows])
    return [Row(c, text, author, slug, latest.get(c.id)) for c, text, author, slug in rows]


def _latest_decisions(session: Session, comment_ids: list[int]) -> dict[int, Decision]:
    if not comment_ids:
        return {}
    newest = (
        select(func.max(Decision.id))
        .where(Decision.comment_id.in_(comment_ids))
        .group_by(Decision.comment_id)
    )
    return {
        d.comment_id: d for d in session.scalars(select(Decision).where(Decision.id.in_(newest)))
    }
