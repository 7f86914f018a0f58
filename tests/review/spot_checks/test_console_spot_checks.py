"""The console's spot checks tab: blind cards, the same buttons label, undo restores approval."""

from __future__ import annotations

from sqlalchemy import select

from moderation.callbacks.models import Delivery
from moderation.comments.models import Comment
from moderation.extensions import db
from moderation.queue.models import ReviewItem
from tests.console.conftest import make_moderator, seen, sign_in
from tests.helpers import payload
from tests.review.spot_checks.test_spot_check_queue import RUDE_BUT_APPROVED


def _signed_in(spot_checking, site):
    site.post(payload("c-1", body=RUDE_BUT_APPROVED, article={"id": "a-9", "title": "Le budget"}))
    site.post(payload("c-2", body="Un argument douteux"))
    make_moderator("alice")
    return sign_in(spot_checking, "alice")


def _item():
    db.session.expire_all()
    return db.session.scalar(select(ReviewItem).where(ReviewItem.queue == "spot_checks"))


def test_spot_checks_tab_is_listed_and_its_cards_are_blind(spot_checking, site):
    alice = _signed_in(spot_checking, site)
    pending = alice.client.get("/console/queue/pending").get_data(as_text=True)
    assert 'data-queue="spot_checks"' in pending  # its own tab, with a count
    assert "Zut" not in pending  # not among the pending cards
    page = alice.client.get("/console/queue/spot_checks").get_data(as_text=True)
    assert 'class="card spot-check' in page and "Zut, quel idiot ce ministre" in page
    assert "Le budget" in page and 'id="spot-check-note"' in page
    cards = page[page.index('<section id="cards"') : page.index("</section>")]
    for leak in ("mild-word", "Langage familier", "toxicity", "<mark", "scores", "u-1", "facebook"):
        assert leak not in cards, leak
    assert "<mark" not in page and 'class="hits"' not in page and 'class="flags"' not in page
    assert "douteux" not in page


def test_rejecting_in_the_console_overturns_and_undo_restores_the_approval(spot_checking, site):
    alice = _signed_in(spot_checking, site)
    item = _item()
    answer = alice.post(
        "/console/decide",
        {"items": item.id, "action": "reject", "reason": "insult", "versions": seen(item.id)},
    )
    assert answer.status_code == 200
    comment = db.session.scalar(select(Comment).where(Comment.external_id == "c-1"))
    assert comment.status == "rejected"
    held = db.session.scalar(
        select(Delivery).where(Delivery.status == "pending").order_by(Delivery.created_at.desc())
    )
    assert held is not None
    assert alice.post("/console/undo", {"items": item.id}).status_code == 200
    db.session.expire_all()
    assert (comment.status, comment.queue) == ("approved", None)
    assert _item().status == "open"
    record = site.get("c-1").json
    assert record["status"] == "approved" and record["queue"] is None
    # The undone label exports nothing; a fresh label does.
    runner = spot_checking.test_cli_runner()
    from moderation.cli import build_cli

    out = runner.invoke(build_cli(), ["model", "export-decisions", "--spot-checks-only"])
    assert out.stdout.strip() == ""
    alice.post(
        "/console/decide", {"items": item.id, "action": "approve", "versions": seen(item.id)}
    )
    out = runner.invoke(build_cli(), ["model", "export-decisions", "--spot-checks-only"])
    assert '"spot_check": true' in out.stdout and '"demo/c-1/1"' in out.stdout
