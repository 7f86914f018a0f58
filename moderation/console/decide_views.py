"""Decisions from the console: approve/reject one card or a selection, undo, reverse."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import (
    Response,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

import moderation.events as events
from moderation.authors.notes import get_author
from moderation.comments.models import Comment, CommentRevision
from moderation.comments.texts import current_revision
from moderation.console.blueprint import is_htmx
from moderation.console.scoping import require_site
from moderation.extensions import db
from moderation.numbers import ascii_int
from moderation.review import history, service
from moderation.review import undo as decisions
from moderation.review.versions import current_versions, parse_versions
from moderation.sites.models import Site
from moderation.sites.reasons import site_reasons


def _item_ids() -> list[int]:
    found = (ascii_int(v) for v in request.form.getlist("items"))
    return [n for n in found if n is not None][:500]


def _answer(template: str, trigger: Mapping[str, object], **context: object) -> Response:
    """The toast for htmx (with an event for the page's script), or back to the queue."""
    if not is_htmx():
        return redirect(request.referrer or url_for("console.home"))  # type: ignore[return-value]
    response = make_response(render_template(template, **context))
    response.headers["HX-Trigger"] = json.dumps(trigger)
    return response


def _announce(kind: str, item_ids: list[int]) -> None:
    for item_id in item_ids:
        events.publish(db.session, kind=kind, item=item_id, by=g.user.name)


def _decided(outcome: decisions.Outcome, *, action: str, reason: str | None) -> Response:
    """Announce a (bulk) decision to other consoles; the toast with its undo button."""
    _announce("decided", outcome.decided)
    trigger = {"mod:decided": {"items": outcome.decided, "skipped": list(outcome.skipped)}}
    return _answer(
        "console/_toast_decided.html",
        trigger,
        action=action,
        reason=reason,
        outcome=outcome,
        seconds=int(current_app.config["UNDO_SECONDS"]),
    )


def decide() -> Response:
    """Approve or reject the items sent (one card or a selection) at the versions seen."""
    action = request.form.get("action", "")
    reason = (request.form.get("reason") or None) if action == "reject" else None
    outcome = decisions.decide(
        db.session,
        item_ids=_item_ids(),
        user=g.user,
        action=action,
        reason=reason,
        hold_seconds=current_app.config["UNDO_SECONDS"],
        seen=parse_versions(request.form.getlist("versions")),
        message=(request.form.get("message") or None) if action == "reject" else None,
    )
    return _decided(outcome, action=action, reason=reason)


def reject_author(author_id: int) -> Response:
    """Reject every open item of this author's comments (same path as a bulk reject)."""
    reason = request.form.get("reason") or None
    require_site(get_author(db.session, author_id).site_id)
    outcome = decisions.decide(
        db.session,
        item_ids=decisions.author_items(db.session, author_id=author_id),
        user=g.user,
        action="reject",
        reason=reason,
        hold_seconds=current_app.config["UNDO_SECONDS"],
    )
    return _decided(outcome, action="reject", reason=reason)


def claim(item_id: int) -> Response:
    """Take the item for a while (the API's lease): others see it dimmed, "claimed by"."""
    service.claim(db.session, item_id=item_id, user=g.user)
    _announce("claimed", [item_id])
    return _answer("console/_toast_claimed.html", {"mod:claimed": {"items": [item_id]}})


def undo() -> Response:
    """Take back the decisions on these items (within the window): all of them, or none."""
    undone = [
        decisions.undo(
            db.session, item_id=item_id, user=g.user, window=current_app.config["UNDO_SECONDS"]
        ).id
        for item_id in dict.fromkeys(_item_ids())
    ]
    _announce("undone", undone)
    # The restored cards take their new versions: a decision on them is a fresh one.
    trigger = {"mod:undone": {"items": undone, "versions": current_versions(db.session, undone)}}
    return _answer("console/_toast_undone.html", trigger, count=len(undone))


def mine() -> str:
    """The signed-in moderator's recent decisions: the comment's text, a link to it, what stands."""
    rows = decisions.my_decisions(db.session, user=g.user)
    ids = list({d.comment_id for d in rows})
    found = {row[0].id: (row[0], row[1]) for row in db.session.execute(_with_text(ids))}
    sites = {site.id: site for site in db.session.scalars(select(Site))}
    return render_template(
        "console/mine.html",
        rows=rows,
        comments={cid: c for cid, (c, _t) in found.items()},
        texts={cid: t for cid, (_c, t) in found.items()},
        sites=sites,
        taken_back=history.taken_back(db.session, ids),
        reject_choices={site_id: site_reasons(site) for site_id, site in sites.items()},
    )


def _with_text(comment_ids: list[int]) -> Any:
    return (
        select(Comment, CommentRevision.body_text)
        .join(CommentRevision, current_revision())
        .where(Comment.id.in_(comment_ids))
    )


def reverse(decision_id: int) -> Response:
    """Reverse one of my decisions (audited); the site is told the new outcome."""
    decisions.reverse(
        db.session, decision_id=decision_id, user=g.user, reason=request.form.get("reason")
    )
    return redirect(url_for("console.mine"))  # type: ignore[return-value]
