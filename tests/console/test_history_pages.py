"""Search and history pages: lists with who decided, a comment's conversation, an article, mine."""

from __future__ import annotations

from sqlalchemy import select

from moderation.comments.models import Comment
from moderation.extensions import db
from moderation.queue.models import ReviewItem
from tests.console.conftest import make_moderator, seen, sign_in


def _alice(console_app):
    make_moderator("alice")
    return sign_in(console_app, "alice")


def _id(external_id):
    return db.session.scalar(select(Comment.id).where(Comment.external_id == external_id))


def test_lists_and_search_with_who_decided(console_app, held):
    alice = _alice(console_app)
    item = db.session.scalar(select(ReviewItem).order_by(ReviewItem.id))
    form = {"items": item.id, "action": "reject", "reason": "insult", "versions": seen(item.id)}
    assert alice.post("/console/decide", form).status_code == 200
    rejected = alice.client.get("/console/comments?status=rejected").text
    assert "Quel idiot, franchement" in rejected and "Espèce de crétin" not in rejected
    assert "<td>alice</td>" in rejected  # who decided
    every = alice.client.get("/console/comments").text
    assert all(t in every for t in ("Quel idiot", "Voyez https://spam.example/x", "crétin"))
    # Case- and accent-insensitive, combined with a filter.
    assert "Espèce de crétin" in alice.client.get("/console/comments?q=CRETIN").text
    assert (
        "Aucun commentaire ne correspond."
        in alice.client.get("/console/comments?q=CRETIN&source=native").text
    )
    assert 'type="search" id="search" name="q"' in every
    # The queue's search box narrows the queue the same way.
    queue = alice.client.get("/console/queue/pending?q=spam.example").text
    assert "Voyez" in queue and "crétin" not in queue


def test_comment_view_shows_the_conversation_and_decisions(console_app, held):
    alice = _alice(console_app)
    page = alice.client.get(f"/console/comments/{_id('h-1')}").text
    assert "Quel idiot, franchement" in page
    assert "Réponses (1)" in page and "Voyez https://spam.example/x" in page
    reply = alice.client.get(f"/console/comments/{_id('h-2')}").text
    assert reply.index("Quel idiot, franchement") < reply.index("Voyez https://spam.example/x")
    assert alice.client.get("/console/comments/999999").status_code == 404


def test_article_view_lists_its_comments_as_threads(console_app, held):
    alice = _alice(console_app)
    page = alice.client.get("/console/sites/demo/articles/a-1").text
    assert page.count('<li class="depth-') == 3
    assert '<li class="depth-1">' in page  # the reply sits under its parent
    assert alice.client.get("/console/sites/demo/articles/nothing-here").status_code == 404


def test_my_decisions_link_to_the_comment_and_show_undone_ones(console_app, held):
    alice = _alice(console_app)
    item = db.session.scalar(select(ReviewItem).order_by(ReviewItem.id))
    form = {"items": item.id, "action": "approve", "versions": seen(item.id)}
    assert alice.post("/console/decide", form).status_code == 200
    assert alice.post("/console/undo", {"items": item.id}).status_code == 200
    page = alice.client.get("/console/mine").text
    assert f'href="/console/comments/{item.comment_id}"' in page
    assert "/console/authors/" not in page
    assert 'data-taken-back="undone"' in page and "annulée" in page
    text = db.session.get(Comment, item.comment_id)
    assert text is not None and "Quel idiot" in page


def test_the_history_pages_in_english(console_app, held):
    alice = _alice(console_app)
    assert alice.post("/console/lang", {"lang": "en"}, htmx=False).status_code == 302
    page = alice.client.get("/console/comments?status=queued").text
    assert "Comments · In a queue" in page and "Decided by" in page
    assert '<span title="queued">In a queue</span>' in page  # the row's status, code in its title
    conversation = alice.client.get(f"/console/comments/{_id('h-1')}").text
    assert "Replies (1)" in conversation and "Conversation" in conversation
    queue = alice.client.get("/console/queue/pending").text
    assert '<option value="24" selected>24 hours</option>' in queue
