"""The console's audit tab: blind cards, labels by the same buttons, undo restores approval."""

from __future__ import annotations

from sqlalchemy import select

from moderation.callbacks.models import Delivery
from moderation.comments.models import Comment
from moderation.extensions import db
from moderation.queue.models import ReviewItem
from tests.audits.test_audit_queue import RUDE_BUT_APPROVED
from tests.console.conftest import make_moderator, sign_in
from tests.helpers import payload


def _signed_in(audited, site):
    site.post(payload("c-1", body=RUDE_BUT_APPROVED, article={"id": "a-9", "title": "Le budget"}))
    site.post(payload("c-2", body="Un argument douteux"))
    make_moderator("alice")
    return sign_in(audited, "alice")


def _item():
    db.session.expire_all()
    return db.session.scalar(select(ReviewItem).where(ReviewItem.queue == "audit"))


def test_audit_tab_is_listed_and_its_cards_are_blind(audited, site):
    alice = _signed_in(audited, site)
    pending = alice.client.get("/console/queue/pending").get_data(as_text=True)
    assert 'data-queue="audit"' in pending  # its own tab, with a count
    assert "Zut" not in pending  # not among the pending cards
    page = alice.client.get("/console/queue/audit").get_data(as_text=True)
    assert 'class="card audit' in page and "Zut, quel idiot ce ministre" in page
    assert "Le budget" in page and 'id="audit-note"' in page
    cards = page[page.index('<section id="cards"') : page.index("</section>")]
    for leak in ("mild-word", "Langage familier", "toxicity", "<mark", "scores", "u-1", "facebook"):
        assert leak not in cards, leak
    assert "<mark" not in page and 'class="hits"' not in page and 'class="flags"' not in page
    assert "douteux" not in page


def test_rejecting_in_the_console_overturns_and_undo_restores_the_approval(audited, site):
    alice = _signed_in(audited, site)
    item = _item()
    answer = alice.post(
        "/console/decide", {"items": item.id, "action": "reject", "reason": "insult"}
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
    runner = audited.test_cli_runner()
    from moderation.cli import build_cli

    out = runner.invoke(build_cli(), ["model", "export-decisions", "--audit-only"])
    assert out.stdout.strip() == ""
    alice.post("/console/decide", {"items": item.id, "action": "approve"})
    out = runner.invoke(build_cli(), ["model", "export-decisions", "--audit-only"])
    assert '"audit": true' in out.stdout and '"demo/c-1/1"' in out.stdout
