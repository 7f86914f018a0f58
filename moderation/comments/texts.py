"""The text moderators read: each comment's current revision and its parent's, in bulk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, event, select, tuple_
from sqlalchemy.orm import Session

from moderation.comments.models import Comment, CommentRevision

_CURRENT = and_(
    CommentRevision.comment_id == Comment.id, CommentRevision.revision == Comment.revision
)


def current_revision() -> Any:
    """The join condition of a comment and its current revision."""
    return _CURRENT


@dataclass(frozen=True)
class Texts:
    """Texts loaded for a set of comments: by comment id, and parents by (site id, site's id)."""

    bodies: dict[int, str]
    parents: dict[tuple[int, str], str]

    def body(self, comment: Comment) -> str | None:
        """The comment's current text (None only if its revision row is missing)."""
        return self.bodies.get(comment.id)

    def parent(self, comment: Comment) -> dict[str, Any] | None:
        """``{"id", "body"}`` for a reply (body None until the site sends the parent)."""
        if comment.parent_id is None:
            return None
        return {"id": comment.parent_id, "body": self.parents.get(_key(comment))}


def _key(comment: Comment) -> tuple[int, str]:
    return comment.site_id, comment.parent_id or ""


def load_texts(
    session: Session, comments: Sequence[Comment], bodies: dict[int, str] | None = None
) -> Texts:
    """The texts for these comments in at most two queries (one if ``bodies`` were joined)."""
    return Texts(
        _bodies(session, comments) if bodies is None else bodies, _parents(session, comments)
    )


def remember_text(session: Session, revision: CommentRevision) -> None:
    """Note a revision this unit of work stored, so answering with its text needs no query."""
    session.info.setdefault(_STORED, {})[(revision.comment_id, revision.revision)] = (
        revision.body_text
    )


_STORED = "stored_texts"


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_texts(session: Session) -> None:
    # Only within the unit of work that stored them: afterwards the rows are the truth.
    session.info.pop(_STORED, None)


def _held(session: Session, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
    stored: dict[tuple[int, int], str] = session.info.get(_STORED, {})
    return {key: stored[key] for key in wanted if key in stored}


def _bodies(session: Session, comments: Sequence[Comment]) -> dict[int, str]:
    # The revision each row was read at: a revision committed since is not mixed in.
    wanted = {(c.id, c.revision) for c in comments}
    held = _held(session, wanted)  # stored by this unit of work: no query
    bodies = {comment_id: text for (comment_id, _), text in held.items()}
    missing = wanted - held.keys()
    if missing:
        rows = session.execute(
            select(CommentRevision.comment_id, CommentRevision.body_text).where(
                tuple_(CommentRevision.comment_id, CommentRevision.revision).in_(missing)
            )
        )
        bodies.update({comment_id: text for comment_id, text in rows})
    return bodies


def _parents(session: Session, comments: Sequence[Comment]) -> dict[tuple[int, str], str]:
    wanted = {_key(c) for c in comments if c.parent_id is not None}
    if not wanted:
        return {}
    rows = session.execute(
        select(Comment.site_id, Comment.external_id, CommentRevision.body_text)
        .join(CommentRevision, _CURRENT)
        .where(tuple_(Comment.site_id, Comment.external_id).in_(wanted))
    )
    return {(site_id, external_id): text for site_id, external_id, text in rows}
