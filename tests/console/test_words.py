"""Words, not codes, on the pages beyond the queue: the drawer, my decisions, the admin pages."""

from __future__ import annotations

import re

from moderation.extensions import db
from moderation.queue.models import ReviewItem
from tests.console.conftest import make_moderator, seen, sign_in


def _visible(html: str) -> str:
    """The page's text as read: tags, attribute values and scripts removed."""
    return re.sub(r"<[^>]*>", " ", html)


def _reject_first(alice, reason: str = "insult") -> ReviewItem:
    item = db.session.query(ReviewItem).filter_by(status="open").order_by(ReviewItem.id).first()
    answer = alice.post(
        "/console/decide",
        {"items": str(item.id), "action": "reject", "reason": reason, "versions": seen(item.id)},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return item


def test_my_decisions_and_the_drawer_show_words_and_paris_time(console_app, held):
    make_moderator("alice")
    alice = sign_in(console_app, "alice")
    _reject_first(alice)
    mine = _visible(alice.client.get("/console/mine").get_data(as_text=True))
    assert "Injure" in mine and "Rejeté" in mine
    assert re.search(r"\d{1,2} [a-zéû]+\.? \d{4} à \d{2}:\d{2}", mine)
    assert not re.search(r"\b(insult|rejected)\b", mine)
    page = alice.client.get("/console/queue/pending").get_data(as_text=True)
    author = re.search(r'href="(/console/authors/\d+)"', page).group(1)
    drawer = _visible(alice.client.get(author).get_data(as_text=True))
    assert "Modérateur alice" in drawer and "moderator:alice" not in drawer
    assert not re.search(r"\b(insult|rejected|queued|facebook)\b", drawer)


def test_the_admin_pages_name_their_columns_and_series_in_words(console_app, held):
    make_moderator("root", role="admin")
    root = sign_in(console_app, "root")
    _reject_first(root)
    stats = _visible(root.client.get("/console/admin/stats").get_data(as_text=True))
    assert "Modérateur" in stats and "médiane" in stats and "Automatique" in stats
    assert not re.search(r"\b(moderator|auto|p50|p90)\b", stats)
    assert "Injure" in stats  # the decisions-by-reason series
    rules = _visible(root.client.get("/console/admin/rules").get_data(as_text=True))
    assert "Priorité" in rules and "Fichier" in rules and "à relire" in rules
    assert not re.search(r"\b(priority|review)\b", rules)
    root.post("/console/lang", {"lang": "en"}, htmx=False)
    stats = _visible(root.client.get("/console/admin/stats").get_data(as_text=True))
    assert "Moderator" in stats and "median" in stats
