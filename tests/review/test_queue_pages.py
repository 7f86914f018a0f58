"""Cursor pages walk the queue in exactly its order, ties included, in every sort."""

from __future__ import annotations

import datetime as dt

from moderation.authors.models import Author
from moderation.comments.models import Comment
from moderation.extensions import db
from moderation.queue.models import ReviewItem
from moderation.review import service
from moderation.sites.service import add_site

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
# (priority, seconds after T0): ties on priority, on time, and on both, across three bands.
LAYOUT = [(20, 5), (10, 0), (20, 5), (0, 1), (10, 0), (20, 1), (10, 3), (0, 1), (20, 5), (10, 0)]


def _items() -> list[ReviewItem]:
    site, _ = add_site(db.session, slug="pages", callback_url="http://127.0.0.1:9/cb")
    author = Author(site_id=site.id, source="native", external_id="u-1")
    db.session.add(author)
    db.session.flush()
    items = []
    for n, (priority, seconds) in enumerate(LAYOUT):
        comment = Comment(
            site_id=site.id,
            external_id=f"c-{n}",
            author_id=author.id,
            article_id="a-1",
            article={"id": "a-1"},
            status="queued",
            queue="pending",
            body_hash="h",
        )
        db.session.add(comment)
        db.session.flush()
        items.append(
            ReviewItem(
                comment_id=comment.id,
                revision=1,
                queue="pending",
                status="open",
                priority=priority,
                reasons=[],
                site_id=site.id,
                article_id="a-1",
                author_source="native",
                created_at=T0 + dt.timedelta(seconds=seconds),
            )
        )
    db.session.add_all(items)
    db.session.commit()
    return items


def _walk(sort: str, limit: int) -> list[int]:
    seen, cursor = [], None
    while True:
        page, cursor = service.list_queue(
            db.session, queue="pending", filters={}, limit=limit, cursor=cursor, sort=sort
        )
        seen += [item.id for item in page]
        if cursor is None:
            return seen


ORDERS = {
    "priority": lambda i: (-i.priority, i.created_at, i.id),
    "oldest": lambda i: (i.created_at, i.id),
    "newest": lambda i: (-i.created_at.timestamp(), -i.id),
}


def check_every_walk() -> None:
    """Every sort, walked at several page sizes, gives the full order."""
    items = _items()
    for sort, key in ORDERS.items():
        expected = [item.id for item in sorted(items, key=key)]
        for limit in (1, 2, 3, 4, 10, 11):
            assert _walk(sort, limit) == expected, (sort, limit)


def test_cursor_walks_keep_the_order(app):
    check_every_walk()


def test_a_cursor_page_crossing_priorities_reads_the_next_band(app):
    items = _items()
    top = sorted(items, key=ORDERS["priority"])
    page, cursor = service.list_queue(db.session, queue="pending", filters={}, limit=3, cursor=None)
    assert [i.priority for i in page] == [20, 20, 20]
    following, _ = service.list_queue(
        db.session, queue="pending", filters={}, limit=3, cursor=cursor
    )
    assert [i.id for i in following] == [i.id for i in top[3:6]]  # one 20, then two 10s
