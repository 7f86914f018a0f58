"""Search and history: comment lists by status, a comment's conversation, an article's comments."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from sqlalchemy import select

from moderation.console.scoping import my_sites, require_site
from moderation.extensions import db
from moderation.numbers import ascii_int
from moderation.review import history
from moderation.sites.models import Site

#: Filters the lists share with the queue pages (same names, same meaning).
LIST_FILTERS = ("site", "article", "section", "language", "source")


def _args() -> dict[str, str]:
    wanted = ("q", "status", *LIST_FILTERS)
    return {k: v.strip()[:200] for k, v in request.args.items() if k in wanted and v.strip()}


def comments() -> str:
    """All comments, or one status's, newest first; the search box and the filters narrow them."""
    args = _args()
    status = args.get("status", "all")
    if status not in history.STATUSES:
        abort(404)
    page = ascii_int(request.args.get("page"), limit=10_000) or 0
    rows, more = history.list_comments(
        db.session,
        status=status,
        query=args.get("q"),
        filters={k: args.get(k) for k in LIST_FILTERS},
        sites=my_sites(),
        page=page,
    )
    return render_template(
        "console/comments.html",
        rows=rows,
        more=more,
        page=page,
        args=args,
        status=status,
        statuses=history.STATUSES,
        sites=_site_slugs(),
    )


def comment(comment_id: int) -> str:
    """One comment: its text, decisions, the conversation around it and its article."""
    row = history.one(db.session, comment_id)
    if row is None:
        abort(404)
    require_site(row.comment.site_id)
    parents, replies = history.conversation(db.session, row.comment)
    decisions = history.decisions_of(db.session, comment_id)
    return render_template(
        "console/comment.html",
        row=row,
        parents=parents,
        replies=replies,
        decisions=decisions,
        taken_back=history.taken_back(db.session, [comment_id]),
    )


def article(slug: str, article_id: str) -> str:
    """Every comment on one article, oldest first, replies under the comment they answer."""
    site = db.session.scalar(select(Site).where(Site.slug == slug))
    if site is None:
        abort(404)
    require_site(site.id)
    rows = history.article_comments(db.session, site_id=site.id, article_id=article_id[:200])
    if not rows:
        abort(404)
    return render_template(
        "console/article.html", rows=rows, site=slug, article=_title(rows), threads=_threads(rows)
    )


def _title(rows: list[history.Row]) -> dict[str, Any]:
    found = rows[0].comment.article or {}
    return {"id": rows[0].comment.article_id, "title": str(found.get("title") or "")}


def _threads(rows: list[history.Row]) -> dict[str, int]:
    """How deep each comment sits in its thread (0: answers the article), by its site id."""
    parents = {r.comment.external_id: r.comment.parent_id for r in rows}
    depth: dict[str, int] = {}
    for external_id in parents:
        level, at, seen = 0, parents[external_id], {external_id}
        while at and at in parents and at not in seen and level < 6:
            level, seen, at = level + 1, seen | {at}, parents[at]
        depth[external_id] = level
    return depth


def _site_slugs() -> list[str]:
    query = select(Site.slug).order_by(Site.slug)
    sites = my_sites()
    return list(db.session.scalars(query if sites is None else query.where(Site.id.in_(sites))))
