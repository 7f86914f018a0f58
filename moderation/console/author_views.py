"""The author drawer: comments with their decisions, notes, sanctions (add and lift)."""

from __future__ import annotations

import datetime as dt

from flask import Response, g, redirect, render_template, request, url_for
from sqlalchemy import select

from moderation.authors import notes
from moderation.authors.models import Author, Sanction
from moderation.comments.models import Comment, CommentRevision, Decision
from moderation.console.blueprint import is_htmx
from moderation.console.cards import author_facts, note_counts
from moderation.console.render import short
from moderation.console.scoping import require_site
from moderation.db import utcnow
from moderation.exceptions import Invalid
from moderation.extensions import db
from moderation.numbers import ascii_int
from moderation.review.authors import add_sanction, author_view
from moderation.sites.models import Site
from moderation.sites.reasons import site_reasons

#: Sanctions a moderator may give from the console ("trust" stays with the API), mildest first.
KINDS = ("suspend", "premoderate", "ban")
DURATIONS = (1, 3, 24, 24 * 7, 24 * 30)  # hours, as Coral offers them, plus a month


def _comments(author_id: int) -> list[dict[str, object]]:
    rows = db.session.execute(
        select(Comment, CommentRevision.body_text)
        .join(
            CommentRevision,
            (CommentRevision.comment_id == Comment.id)
            & (CommentRevision.revision == Comment.revision),
        )
        .where(Comment.author_id == author_id)
        .order_by(Comment.id.desc())
        .limit(50)
    ).all()
    latest = {
        d.comment_id: d
        for d in db.session.scalars(
            select(Decision)
            .where(Decision.comment_id.in_([c.id for c, _ in rows]))
            .order_by(Decision.id)
        )
    }
    return [{"comment": c, "text": short(t, 240), "decision": latest.get(c.id)} for c, t in rows]


def _author(author_id: int) -> Author:
    found = notes.get_author(db.session, author_id)
    require_site(found.site_id)
    return found


def author(author_id: int) -> str:
    """The drawer (a fragment for htmx, a page otherwise)."""
    found = _author(author_id)
    site = db.session.get_one(Site, found.site_id)
    sanctions = db.session.scalars(
        select(Sanction).where(Sanction.author_id == found.id).order_by(Sanction.id.desc())
    )
    view = author_view(db.session, found)
    context = {
        "author": found,
        "view": view,
        "comments": _comments(found.id),
        "notes": notes.notes_of(db.session, author=found),
        "sanctions": list(sanctions),
        "now": utcnow(),
        "zone": site.time_zone,
        "reject_choices": site_reasons(site),
        "durations": DURATIONS,
        # In the drawer, the cards' author line comes along (out of band): a note or a
        # sanction just made shows on every card of this author at once.
        "facts": author_facts(
            found.id, view, view["account_age_days"], note_counts(db.session, [found.id])
        ),
        "oob": is_htmx(),
    }
    template = "console/_author.html" if is_htmx() else "console/author.html"
    return render_template(template, **context)


def _back(author_id: int) -> Response:
    return redirect(url_for("console.author", author_id=author_id))  # type: ignore[return-value]


def add_note(author_id: int) -> Response:
    """Add a moderator note."""
    found = _author(author_id)
    notes.add_note(db.session, author=found, body=request.form.get("body", ""), actor=g.user.name)
    return _back(author_id)


def sanction(author_id: int) -> Response:
    """Ban, suspend for a duration, or pre-moderate; the pipeline enforces it from now on."""
    found = _author(author_id)
    kind = request.form.get("kind", "")
    if kind not in KINDS:
        raise Invalid("Unknown sanction.", fields={"kind": ["Unknown sanction."]})
    if kind == "ban" and request.form.get("confirm_ban") != "1":
        # The second confirmation, checked here and not only in the page: no ban by accident.
        message = "A ban needs its confirmation (confirm_ban=1)."
        raise Invalid(message, fields={"confirm_ban": ["Required for a ban."]})
    hours = request.form.get("hours", "")
    until = None
    if hours:
        count = ascii_int(hours, limit=24 * 366)
        if not count:
            raise Invalid("Duration in hours, at most a year.", fields={"hours": ["Invalid."]})
        until = utcnow() + dt.timedelta(hours=count)
    elif kind == "suspend":
        raise Invalid("A suspension needs a duration.", fields={"hours": ["Required."]})
    reason = (request.form.get("reason") or "").strip()[:500] or None
    add_sanction(
        db.session,
        author=found,
        kind=kind,
        until=until,
        reason=reason,
        actor=f"moderator:{g.user.name}",
    )
    return _back(author_id)


def lift(author_id: int, sanction_id: int) -> Response:
    """End a sanction now."""
    found = _author(author_id)
    notes.lift_sanction(db.session, author=found, sanction_id=sanction_id)
    return _back(author_id)
