"""The queue pages: tabs with live counts, filters, a saved sort, cards, sync and events."""

from __future__ import annotations

from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.console import live, reasons
from moderation.console.author_views import DURATIONS
from moderation.console.blueprint import is_htmx
from moderation.console.cards import build_cards
from moderation.console.scoping import my_sites
from moderation.db import utcnow
from moderation.extensions import db
from moderation.numbers import ascii_int
from moderation.queue.models import ReviewItem
from moderation.review import service
from moderation.sites.models import Site

#: Queues always shown; any other queue (``appeals``, ``spot_checks``) appears once used.
BASE_QUEUES = ("pending", "reported")
KNOWN_QUEUES = ("pending", "reported", "appeals", "spot_checks")
FILTER_NAMES = ("q", "site", "article", "section", "reason", "language", "source")
PAGE = 25
COUNT_CAP = 9999  # counts stop here: "9999+" is enough to know, and stays fast


def _open(queue: str) -> Any:
    """The open items of ``queue`` the user may see."""
    query = select(ReviewItem.id).where(ReviewItem.status == "open", ReviewItem.queue == queue)
    sites = my_sites()
    return query if sites is None else query.where(ReviewItem.site_id.in_(sites))


def queues(session: Session) -> list[str]:
    """The tab list: the base queues, then any other queue that has open items."""
    extra = [
        q for q in sorted(set(KNOWN_QUEUES) - set(BASE_QUEUES)) if session.scalar(_open(q).limit(1))
    ]
    return [*BASE_QUEUES, *extra]


def counts(session: Session, names: list[str]) -> dict[str, int]:
    """Open items per queue, capped at ``COUNT_CAP + 1``."""
    found = {}
    for name in names:
        capped = _open(name).limit(COUNT_CAP + 1).subquery()
        found[name] = session.scalar(select(func.count()).select_from(capped)) or 0
    return found


def _filters() -> dict[str, Any]:
    """The filters from the query string, in the queue service's terms (unknown site: none)."""
    raw = {name: (request.args.get(name) or "").strip()[:200] or None for name in FILTER_NAMES}
    filters: dict[str, Any] = {k: raw[k] for k in ("q", "article", "section", "reason", "language")}
    filters["source"] = raw["source"]
    if raw["site"]:
        site_id = db.session.scalar(select(Site.id).where(Site.slug == raw["site"]))
        filters["site"] = site_id if site_id is not None else -1
    return filters


def _sort() -> str:
    """The sort from the query string, saved in the session; else the saved one."""
    chosen = request.args.get("sort")
    if chosen in service.SORTS:
        session["sort"] = chosen
    saved = session.get("sort")
    return saved if saved in service.SORTS else "priority"


def home() -> Response:
    """The first queue."""
    return redirect(url_for("console.queue", name="pending"))  # type: ignore[return-value]


def queue(name: str) -> str:
    """A queue page (or, for htmx "load more", just the next cards)."""
    if name not in KNOWN_QUEUES:
        abort(404)
    sort, filters = _sort(), _filters()
    items, cursor = service.list_queue(
        db.session,
        queue=name,
        filters=filters,
        limit=PAGE,
        cursor=request.args.get("cursor") or None,
        sort=sort,
        sites=my_sites(),
    )
    cards = build_cards(db.session, items)
    sites = reasons.visible_sites(db.session)
    reasons.annotate(cards, sites)
    args = {k: v for k, v in request.args.items() if k in FILTER_NAMES and v}
    context = {"queue": name, "cards": cards, "cursor": cursor, "sort": sort, "args": args}
    if is_htmx() and request.args.get("cursor"):
        return render_template("console/_cards.html", **context)
    names = queues(db.session)
    newest = db.session.scalar(select(func.max(ReviewItem.id))) or 0
    return render_template(
        "console/queue.html",
        **context,
        queues=names,
        counts=counts(db.session, names),
        reasons=_reason_choices(),
        reject_reasons=reasons.dialog_reasons(sites),
        sites=list(sites),
        newest=newest,
        live=live.live_enabled(),
        durations=DURATIONS,
    )


def _reason_choices() -> list[str]:
    configured = tuple(current_app.config["REASON_CODES"])
    ordered = list(dict.fromkeys(configured))
    return ordered + sorted(service.allowed_reasons(configured) - set(ordered))


def queue_counts() -> str:
    """The tabs with fresh counts (htmx swaps them in on events and on a timer)."""
    names = queues(db.session)
    current = request.args.get("queue", "pending")
    return render_template(
        "console/_tabs.html", queues=names, counts=counts(db.session, names), queue=current
    )


def sync() -> Response:
    """The state of the cards a page shows, and how many items arrived since it was drawn."""
    found = (ascii_int(i) for i in request.args.get("ids", "").split(","))
    ids = [n for n in found if n is not None][:200]
    after = ascii_int(request.args.get("after")) or 0
    name = request.args.get("queue", "pending")
    now = utcnow()
    state = {}
    sites = my_sites()
    for item in db.session.scalars(select(ReviewItem).where(ReviewItem.id.in_(ids))):
        if sites is not None and item.site_id not in sites:
            continue
        claimed = item.claimed_by if item.claim_expires_at and item.claim_expires_at > now else None
        state[item.id] = {"status": item.status, "by": item.resolved_by, "claimed_by": claimed}
    query = _open(name).where(ReviewItem.id > after)
    for key, value in _filters().items():
        if value is not None and key not in ("section", "q"):
            query = query.where(service.FILTERS[key] == value)
    fresh = db.session.scalar(select(func.count()).select_from(query.limit(1000).subquery()))
    # The tabs' counts ride along: every sync (each event, or each poll) keeps them live.
    tabs = counts(db.session, queues(db.session))
    return jsonify({"me": g.user.name, "items": state, "new": fresh or 0, "counts": tabs})


def events() -> Response:
    """Server-Sent Events from Redis pub/sub (204 without Redis: the page polls instead)."""
    if not live.live_enabled():
        return Response(status=204)
    response = Response(stream_with_context(live.stream(g.user.id)), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # nginx must not buffer the stream
    return response
