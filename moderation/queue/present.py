"""Queue items as moderators see them, loaded in a fixed number of queries per page."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.authors.models import Author, Sanction
from moderation.authors.service import author_summary, in_force
from moderation.comments.models import Comment, Decision
from moderation.comments.service import build_record
from moderation.comments.texts import Texts, load_texts
from moderation.db import utcnow
from moderation.dsa.appeals import open_appeals
from moderation.flags.models import Flag
from moderation.flags.service import flag_view
from moderation.queue.audits import blind
from moderation.queue.models import ReviewItem
from moderation.sites.models import Site


def present_items(session: Session, items: list[ReviewItem]) -> list[dict[str, Any]]:
    """Each item with its record, decision, author standing, flags and claim (audit: blind)."""
    if not items:
        return []
    comment_ids = [item.comment_id for item in items]
    comments = {
        c.id: c for c in session.scalars(select(Comment).where(Comment.id.in_(comment_ids)))
    }
    sites = {
        s.id: s
        for s in session.scalars(
            select(Site).where(Site.id.in_({c.site_id for c in comments.values()}))
        )
    }
    authors = {
        a.id: a
        for a in session.scalars(
            select(Author).where(Author.id.in_({c.author_id for c in comments.values()}))
        )
    }
    decisions = _latest_decisions(session, comment_ids)
    texts = load_texts(session, list(comments.values()))
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
    # Audit items are labelled blind: nothing of the model, the rules or the readers.
    return [blind(v) if i.queue == "audit" else v for v, i in zip(views, items, strict=True)]


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
    }


def _latest_decisions(session: Session, comment_ids: list[int]) -> dict[int, Decision]:
    latest = (
        select(func.max(Decision.id))
        .where(Decision.comment_id.in_(comment_ids))
        .group_by(Decision.comment_id)
    )
    return {
        d.comment_id: d for d in session.scalars(select(Decision).where(Decision.id.in_(latest)))
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
