"""What keeps cards and tabs current without a reload: sync's counts, the drawer's author line."""

from __future__ import annotations

import re

import pytest

from moderation.authors.models import Author
from moderation.extensions import db
from tests.console.conftest import make_moderator, sign_in
from tests.helpers import payload


@pytest.fixture
def alice(console_app, held):
    make_moderator("alice")
    return sign_in(console_app, "alice")


def test_sync_carries_the_tabs_counts(alice, site):
    answer = alice.client.get("/console/sync?queue=pending&ids=&after=0").get_json()
    assert answer["counts"] == {"pending": 3, "reported": 0}
    assert (
        site.post(
            payload("h-4", "Encore un idiot", author={"id": "u-4", "source": "google"})
        ).status_code
        == 202
    )
    answer = alice.client.get("/console/sync?queue=pending&ids=&after=0").get_json()
    assert answer["counts"]["pending"] == 4


def test_the_drawer_sends_the_cards_author_line_after_a_note(alice):
    author = db.session.query(Author).filter_by(external_id="u-1").one()
    mark = f"author-of-{author.id}"
    line = rf'<p class="author-summary {mark}" hx-swap-oob="outerHTML:\.{mark}">'
    page = alice.client.get("/console/queue/pending").get_data(as_text=True)
    assert f'class="author-summary author-of-{author.id}"' in page
    assert "hx-swap-oob" not in page  # on the queue page, the line is the card's own
    answer = alice.post(f"/console/authors/{author.id}/notes", {"body": "Averti"})
    drawer = alice.client.get(answer.headers["Location"], headers={"HX-Request": "true"})
    html = drawer.get_data(as_text=True)
    found = re.search(line + r"(.*?)</p>", html, re.S)
    assert found, html[-800:]
    assert '<span class="notes-count">1</span>' in found.group(1)
    standalone = alice.client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "hx-swap-oob" not in standalone  # the author page has no cards to update
