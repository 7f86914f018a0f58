"""Queue cards: each item with everything needed to decide, in a fixed number of queries."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from moderation.authors.models import Author, AuthorNote
from moderation.authors.service import account_age_days
from moderation.classifier.service import model_store
from moderation.comments.models import Comment, CommentRevision
from moderation.console.render import highlight, safe_href
from moderation.queue.models import ReviewItem
from moderation.review.present import present_items
from moderation.rules.engine import CompiledRule
from moderation.rules.problems import RulesUnavailable
from moderation.rules.store import rules_store


def build_cards(session: Session, items: list[ReviewItem]) -> list[dict[str, Any]]:
    """The API's queue items, plus the text, parent, rule and author context a card shows."""
    presented = present_items(session, items)
    if not presented:
        return []
    comments = {
        c.id: c
        for c in session.scalars(
            select(Comment).where(Comment.id.in_([i.comment_id for i in items]))
        )
    }
    texts = _texts(session, [(i.comment_id, i.revision) for i in items])
    parents = _parents(session, list(comments.values()))
    authors = {
        a.id: a
        for a in session.scalars(
            select(Author).where(Author.id.in_({c.author_id for c in comments.values()}))
        )
    }
    notes = note_counts(session, list(authors))
    rules = _rules()
    return [
        _card(view, item, comments[item.comment_id], texts, parents, authors, notes, rules)
        for view, item in zip(presented, items, strict=True)
    ]


def _card(
    view: dict[str, Any],
    item: ReviewItem,
    comment: Comment,
    texts: Mapping[tuple[int, int], str],
    parents: Mapping[int, str],
    authors: Mapping[int, Author],
    notes: Mapping[int, int],
    rules: Mapping[str, CompiledRule],
) -> dict[str, Any]:
    record = view["comment"].get("decision") or {}
    text = texts.get((item.comment_id, item.revision), "")
    shown = {
        **view,
        "comment_id": comment.id,
        "external_id": comment.external_id,
        "site": view["comment"]["site"],
        "received_at": comment.received_at,
        "body": highlight(text, _spans(record)),
        "article": _article(comment.article or {}),
        "parent": parents.get(comment.id),
    }
    if view.get("blind"):  # a spot check card: the text and its context, nothing else
        return shown
    author = authors[comment.author_id]
    held = str(record.get("reason") or item.reason or "")
    hits = [_hit(hit, rules) for hit in record.get("rules") or []]
    # The deciding rule first (the one whose reason held the item); the rest on demand.
    hits.sort(key=lambda hit: hit["reason"] != held)
    return {
        **shown,
        "held_reason": held or None,
        "headline": _headline(item.reasons or [held]),
        "other_reasons": [r for r in item.reasons[1:] if r != FIRST_COMMENT],
        "hits": hits,
        "scores": _scores(record, comment.language or "fr"),
        "author_id": author.id,
        "author_name": author.name or author.external_id,
        "facts": author_facts(author.id, view["author"], account_age_days(author), notes),
    }


#: A label on most newcomers' cards: context for the author line, not a headline.
FIRST_COMMENT = "first_comment"


def _headline(reasons: list[str]) -> str:
    """The reason a card leads with: the first, unless that is only "first comment"."""
    return next((r for r in reasons if r != FIRST_COMMENT), reasons[0] if reasons else "")


def author_facts(
    author_id: int, summary: Mapping[str, Any], age_days: float, notes: Mapping[int, int]
) -> dict[str, Any]:
    """The author line of a card (and of the drawer's updates to it), from their summary."""
    return {
        "id": author_id,
        "source": summary["source"],
        "account_age": round(age_days),
        "approved_count": summary["approved_count"],
        "rejected_count": summary["rejected_count"],
        "trust": summary["trust"],
        "sanctions": summary["sanctions"],
        "notes": notes.get(author_id, 0),
        "first_comment": summary["approved_count"] + summary["rejected_count"] == 0,
    }


def _article(article: Mapping[str, Any]) -> dict[str, str | None]:
    return {
        "title": str(article.get("title") or article.get("id") or ""),
        "href": safe_href(article.get("url")),
        "url": str(article.get("url") or ""),
        "section": str(article.get("section") or ""),
    }


def _spans(record: Mapping[str, Any]) -> list[tuple[int, int, str]]:
    spans = []
    for hit in record.get("rules") or []:
        for match in hit.get("matches") or []:
            if match.get("field", "body") == "body":
                with contextlib.suppress(TypeError, ValueError):
                    spans.append((int(match["start"]), int(match["end"]), str(hit.get("id"))))
    return spans


def _hit(hit: Mapping[str, Any], rules: Mapping[str, CompiledRule]) -> dict[str, Any]:
    rule = rules.get(str(hit.get("id")))
    description = rule.description if rule else ""
    return {
        "id": hit.get("id"),
        # A rule's name for people: its own description (else the template names its reason).
        "name": description,
        "action": hit.get("action"),
        "reason": hit.get("reason"),
        "description": description,
        "article": getattr(rule, "article", None) or "",
        "matches": [m.get("text") for m in hit.get("matches") or []],
    }


def _scores(record: Mapping[str, Any], language: str) -> list[dict[str, Any]]:
    limits = _thresholds(language)
    rows = []
    for label, score in sorted((record.get("scores") or {}).items(), key=lambda kv: -kv[1]):
        named = limits.get(label, {})
        crossed = [name for name, t in named.items() if score >= t]
        rows.append({"label": label, "score": score, "thresholds": named, "crossed": crossed})
    return rows


def _thresholds(language: str) -> Mapping[str, Mapping[str, float]]:
    try:
        model = model_store().current()
    except Exception:  # a broken artifact: scores still show, without thresholds
        return {}
    return model.thresholds(language) if model is not None else {}


def _rules() -> dict[str, CompiledRule]:
    try:
        return {rule.id: rule for rule in rules_store().get().rules}
    except RulesUnavailable:
        return {}


def _texts(session: Session, keys: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    rows = session.execute(
        select(
            CommentRevision.comment_id, CommentRevision.revision, CommentRevision.body_text
        ).where(tuple_(CommentRevision.comment_id, CommentRevision.revision).in_(keys))
    )
    return {(cid, rev): text for cid, rev, text in rows}


def _parents(session: Session, comments: list[Comment]) -> dict[int, str]:
    """The parent's current text for each reply, by the reply's id."""
    wanted = {(c.site_id, c.parent_id) for c in comments if c.parent_id}
    if not wanted:
        return {}
    rows = session.execute(
        select(Comment.site_id, Comment.external_id, CommentRevision.body_text)
        .join(
            CommentRevision,
            (CommentRevision.comment_id == Comment.id)
            & (CommentRevision.revision == Comment.revision),
        )
        .where(tuple_(Comment.site_id, Comment.external_id).in_(list(wanted)))
    )
    found = {(site, ext): text for site, ext, text in rows}
    return {
        c.id: found[(c.site_id, c.parent_id)]
        for c in comments
        if c.parent_id and (c.site_id, c.parent_id) in found
    }


def note_counts(session: Session, author_ids: list[int]) -> dict[int, int]:
    """Moderators' notes per author."""
    rows = session.execute(
        select(AuthorNote.author_id, func.count())
        .where(AuthorNote.author_id.in_(author_ids))
        .group_by(AuthorNote.author_id)
    )
    return {author_id: count for author_id, count in rows}
