"""Queue items as moderators see them, loaded in a fixed number of queries per page."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from moderation.authors.models import Author, Sanction
from moderation.authors.service import author_summary, in_force
from moderation.comments.models import Comment, CommentRevision, Decision
from moderation.comments.service import build_record
from moderation.comments.texts import Texts, current_revision, load_texts
from moderation.db import utcnow
from moderation.dsa.appeals import open_appeals
from moderation.flags.models import Flag
from moderation.flags.service import flag_view
from moderation.queue.models import ReviewItem
from moderation.review.spot_checks import QUEUE, blind
from moderation.review.versions import version_of
from moderation.sites.models import Site


def present_items(session: Session, items: list[ReviewItem]) -> list[dict[str, Any]]:
    """Each item with its record, decision, author standing, flags and claim (spot checks blind)."""
    if not items:
        return []
    comment_ids = [item.comment_id for item in items]
    # One statement for every one-to-one row (each was a round trip of its own, which on a
    # loaded host costs a scheduling slice each); flags and sanctions are one-to-many.
    rows = session.execute(
        select(Comment, Site, Author, Decision, CommentRevision.body_text)
        .join(Site, Site.id == Comment.site_id)
        .join(Author, Author.id == Comment.author_id)
        .outerjoin(Decision, Decision.id == _latest_decision())
        .outerjoin(CommentRevision, current_revision())
        .where(Comment.id.in_(comment_ids))
    ).all()
    comments = {row[0].id: row[0] for row in rows}
    sites = {row[1].id: row[1] for row in rows}
    authors = {row[2].id: row[2] for row in rows}
    decisions = {row[0].id: row[3] for row in rows if row[3] is not None}
    bodies = {row[0].id: row[4] for row in rows if row[4] is not None}
    texts = load_texts(session, list(comments.values()), bodies=bodies)
    sanctions = _active_sanctions(session, list(authors))
    flags: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for flag in session.scalars(
        select(Flag).where(Flag.comment_id.in_(comment_ids)).order_by(Flag.id)
    ):
        flags[flag.comment_id].append(flag_view(flag))
    appeals = open_appeals(session, [i.comment_id for i in items if i.queue == "appeals"])
    views = [
        _item(item, comments[item.comment_id], sites, authors, decisions, texts, sanctions, flags)
        | ({"appeal": appeals.get(item.comment_id)} if item.queue == "appeals" else {})
        for item in items
    ]
    # Spot checks are labelled blind: nothing of the model, the rules or the readers.
    return [blind(v) if i.queue == QUEUE else v for v, i in zip(views, items, strict=True)]


def _latest_decision() -> Any:
    # The comment's newest decision (its last word, whichever revision it was on).
    newer = aliased(Decision)
    return (
        select(func.max(newer.id))
        .where(newer.comment_id == Comment.id)
        .correlate(Comment)
        .scalar_subquery()
    )


def _item(
    item: ReviewItem,
    comment: Comment,
    sites: dict[int, Site],
    authors: dict[int, Author],
    decisions: dict[int, Decision],
    texts: Texts,
    sanctions: dict[int, tuple[str, ...]],
    flags: dict[int, list[dict[str, Any]]],
) -> dict[str, Any]:
    site = sites[comment.site_id]
    decision = decisions.get(comment.id)
    claim = None
    if item.claimed_by and item.claim_expires_at and item.claim_expires_at > utcnow():
        claim = {"by": item.claimed_by, "expires_at": item.claim_expires_at.isoformat()}
    return {
        "id": item.id,
        "queue": item.queue,
        "priority": item.priority,
        "reasons": item.reasons,
        "created_at": item.created_at.isoformat(),
        "comment": {**build_record(comment, site, decision, texts), "article": comment.article},
        "author": author_summary(authors[comment.author_id], sanctions.get(comment.author_id, ())),
        "flags": flags.get(comment.id, []),
        "claim": claim,
        # What a decision names to be refused (409) if the item changed since it was read.
        "version": version_of(comment.revision, comment.updated_at),
    }


def _active_sanctions(session: Session, author_ids: list[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(Sanction.author_id, Sanction.kind).where(
            Sanction.author_id.in_(author_ids), in_force()
        )
    )
    for author_id, kind in rows:
        found[author_id].append(kind)
    return {k: tuple(v) for k, v in found.items()}
