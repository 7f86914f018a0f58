"""Safe keys, server-side: versions on every decision, undo counts, bans confirmed, durations."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from moderation.authors.models import Author, Sanction
from moderation.durations import hours_in_words
from moderation.extensions import db
from moderation.queue.models import ReviewItem
from tests.console.conftest import make_moderator, seen, sign_in


@pytest.fixture
def alice(console_app, held):
    make_moderator("alice")
    return sign_in(console_app, "alice")


def _items():
    db.session.expire_all()
    return list(db.session.scalars(select(ReviewItem).order_by(ReviewItem.id)))


def test_a_decision_without_versions_is_refused(alice):
    item = _items()[0]
    answer = alice.post("/console/decide", {"items": item.id, "action": "approve"})
    assert answer.status_code == 400 and 'data-error="validation_error"' in answer.text
    assert _items()[0].status == "open"


def test_bulk_undo_restores_exactly_those_items_and_counts_them(alice):
    first, second, _third = _items()
    versions = seen(first.id, second.id)
    form = {"items": [first.id, second.id], "action": "approve", "versions": versions}
    assert alice.post("/console/decide", form).status_code == 200
    undo = alice.post("/console/undo", {"items": [first.id, second.id]})
    assert undo.status_code == 200
    assert "2 décisions annulées : les 2 commentaires reviennent dans la file." in undo.text
    trigger = json.loads(undo.headers["HX-Trigger"])["mod:undone"]
    assert trigger["items"] == [first.id, second.id]
    assert set(trigger["versions"]) == {str(first.id), str(second.id)}
    assert [i.status for i in _items()] == ["open", "open", "open"]
    # The selection the page held before the undo is stale now: no second approval through it.
    again = alice.post("/console/decide", form)
    assert again.status_code == 409 and "stale_version" in again.text
    assert [i.status for i in _items()] == ["open", "open", "open"]
    # At the versions the undo answered with, it is a fresh decision and goes through.
    fresh = " ".join(f"{k}:{v}" for k, v in trigger["versions"].items())
    assert alice.post("/console/decide", {**form, "versions": fresh}).status_code == 200
    assert [i.status for i in _items()] == ["resolved", "resolved", "open"]


def test_undo_of_one_says_so_in_the_singular(alice):
    item = _items()[0]
    alice.post(
        "/console/decide", {"items": item.id, "action": "approve", "versions": seen(item.id)}
    )
    undo = alice.post("/console/undo", {"items": item.id})
    assert "Décision annulée : le commentaire revient dans la file." in undo.text


def test_sanction_dialog_defaults_to_a_24_hour_suspension(alice):
    page = alice.client.get("/console/queue/pending").text
    dialog = page[page.index('id="sanction-dialog"') :]
    assert '<input type="radio" name="kind" value="suspend" checked>' in dialog
    assert '<option value="24" selected>24 heures</option>' in dialog
    assert "720 heures" not in page and ">30 jours<" in dialog and ">1 heure<" in dialog


def test_a_ban_without_its_confirmation_is_refused(alice):
    author = db.session.scalars(select(Author).order_by(Author.id)).first()
    url = f"/console/authors/{author.id}/sanctions"
    refused = alice.post(url, {"kind": "ban", "hours": ""})
    assert refused.status_code == 400 and "confirm_ban" in refused.text
    assert db.session.scalars(select(Sanction)).all() == []
    assert alice.post(url, {"kind": "ban", "hours": "", "confirm_ban": "1"}).status_code == 302
    assert alice.post(url, {"kind": "suspend", "hours": "24"}).status_code == 302
    kinds = sorted(s.kind for s in db.session.scalars(select(Sanction)))
    assert kinds == ["ban", "suspend"]


@pytest.mark.parametrize(
    ("hours", "french", "english"),
    [
        (1, "1 heure", "1 hour"),
        (3, "3 heures", "3 hours"),
        (24, "24 heures", "24 hours"),
        (168, "7 jours", "7 days"),
        (336, "2 semaines", "2 weeks"),
        (720, "30 jours", "30 days"),
    ],
)
def test_durations_in_words(hours, french, english):
    assert hours_in_words(hours) == french
    assert hours_in_words(hours, "en") == english
