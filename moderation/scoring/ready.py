"""Claiming revisions to decide: each with everything its decision needs, in one statement.

One SELECT per claim loads the comment, its current revision, its author, the author's
sanctions in force, whether readers filed notices of illegal content, and every history
look-up the ruleset declares (correlated subqueries). On PostgreSQL the comments rows
are locked ``FOR UPDATE``: the extra ready ones are taken ``SKIP LOCKED``, so two workers
never claim the same one and the compare-and-set that follows cannot lose (it is still
the guard on SQLite). A task that batches skips its own revision too when it is locked:
the holder is almost always another task's batch deciding it, and waiting for that
batch's commit idled the worker for a whole batch (``bench/worker``: 15 of 16 messages
find their revision in another's batch). Should that batch fail and roll back, the
revision stays pending and the sweeper sends it again. A task that does not batch
waits, as any writer would.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Select, and_, bindparam, exists, func, select
from sqlalchemy.orm import Session

from moderation.authors.models import Author, Sanction
from moderation.authors.service import facts_of, in_force
from moderation.comments.models import Comment, CommentRevision
from moderation.contracts import CommentFacts, HistoryNeed, HistorySnapshot
from moderation.db import UTCDateTime, utcnow
from moderation.flags.models import Flag
from moderation.scoring.history import history_columns, history_params, snapshot


@dataclass(frozen=True)
class Ready:
    """A pending revision, claimed, with the facts read for it."""

    comment: Comment
    stored: CommentRevision
    author: Author
    sanctions: tuple[str, ...]
    notices: bool  # readers filed notices of illegal content on this comment (answered or not)
    history: HistorySnapshot

    def facts(self) -> CommentFacts:
        """Everything the rules may look at (language and scores are added by the pipeline)."""
        article = self.comment.article or {}
        return CommentFacts(
            body=self.stored.body_text,
            links=tuple(self.stored.links or ()),
            author=facts_of(self.author, self.sanctions),
            article_section=article.get("section"),
            article_tags=tuple(article.get("tags") or ()),
            is_reply=self.comment.parent_id is not None,
            revision=self.comment.revision,
            history=self.history,
        )


def claim_ready(
    session: Session,
    *,
    comment_id: int,
    revision: int,
    needs: Iterable[HistoryNeed],
    extra: int = 0,
) -> list[Ready]:
    """The task's revision if still pending, then up to ``extra`` other pending ones."""
    needs = frozenset(needs)
    own, own_unless_locked, others = _statements(needs)
    params = {**history_params(needs), "now": utcnow()}
    mine = own_unless_locked if extra > 0 else own
    rows = list(session.execute(mine, {**params, "own": comment_id, "revision": revision}))
    if extra > 0:
        rows += session.execute(others, {**params, "own": comment_id, "extra": extra})
    return [_ready(row, needs) for row in rows]


@functools.lru_cache(maxsize=32)
def _statements(
    needs: frozenset[HistoryNeed],
) -> tuple[Select[Any], Select[Any], Select[Any]]:
    """Claims of the task's own revision (waiting, or skipping a locked row) and of others.

    Built once per ruleset's needs.
    """
    query = _query(needs)
    own = query.where(Comment.id == bindparam("own"), Comment.revision == bindparam("revision"))
    others = (
        query.where(Comment.id != bindparam("own"))
        .order_by(Comment.id)
        .limit(bindparam("extra", type_=Integer))
        .with_for_update(of=Comment, skip_locked=True)
    )
    skip = own.with_for_update(of=Comment, skip_locked=True)
    return own.with_for_update(of=Comment), skip, others


def _query(needs: frozenset[HistoryNeed]) -> Select[Any]:
    sanctions = (
        select(func.aggregate_strings(Sanction.kind, ","))
        .where(
            Sanction.author_id == Comment.author_id, in_force(bindparam("now", type_=UTCDateTime))
        )
        .scalar_subquery()
    )
    notices = exists().where(Flag.comment_id == Comment.id, Flag.reason == "illegal")
    current = and_(
        CommentRevision.comment_id == Comment.id, CommentRevision.revision == Comment.revision
    )
    return (
        select(
            Comment, CommentRevision, Author, sanctions, notices, *history_columns(Comment, needs)
        )
        .join(CommentRevision, current)
        .join(Author, Author.id == Comment.author_id)
        .where(Comment.status == "pending")
    )


def _ready(row: Any, needs: frozenset[HistoryNeed]) -> Ready:
    comment, stored, author, sanctions, notices, *history = row
    kinds = tuple(sorted(set(sanctions.split(",")))) if sanctions else ()
    return Ready(comment, stored, author, kinds, bool(notices), snapshot(needs, history))
