"""Safe keys in a real browser (French locale): bulk undo, no double decision, mild sanctions."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from moderation.authors.models import Sanction
from moderation.comments.models import Decision
from moderation.extensions import db

pytestmark = pytest.mark.browser


def _held(live):
    live.post("k-1", "Quel idiot, franchement")
    live.post("k-2", "Espèce de crétin", author={"id": "u-2", "source": "google", "name": "Zoé"})
    live.post("k-3", "Encore un idiot", author={"id": "u-3", "source": "native"})


def _serious(page):
    found = Axe().run(page).response["violations"]
    return [v["id"] for v in found if v["impact"] in ("serious", "critical")]


def _approvals(live):
    with live.app.app_context():
        rows = db.session.scalars(select(Decision).where(Decision.action == "approve")).all()
        db.remove()
        return sorted(d.comment_id for d in rows)


def test_bulk_approve_then_undo_clears_the_selection_and_counts(browser, live):
    _held(live)
    page = live.login(browser.new_context(locale="fr-FR"), "alice")
    cards = page.locator("#cards .card:not(.gone)")
    page.keyboard.press("x")
    page.keyboard.press("Shift+J")
    expect(page.locator("#selection-count")).to_have_text("2")
    page.keyboard.press("f")
    expect(cards).to_have_count(1)
    toast = page.locator("#toasts .toast")
    expect(toast).to_contain_text("Approuvé")
    expect(toast.first).not_to_have_class(re.compile("htmx-added"))  # its undo form is wired
    page.keyboard.press("u")
    # The undo toast replaces the decision's: one toast, the count in words.
    expect(toast).to_have_count(1)
    expect(toast).to_have_text("2 décisions annulées : les 2 commentaires reviennent dans la file.")
    expect(cards).to_have_count(3)
    expect(page.locator("#selection-count")).to_have_text("0")
    expect(page.locator("#cards .pick:checked")).to_have_count(0)
    assert _serious(page) == []
    page.keyboard.press("f")  # one card now, not the old selection
    expect(cards).to_have_count(2)
    expect(page.locator("#toasts .toast").first).to_contain_text("Approuvé")
    page.wait_for_timeout(500)
    approvals = _approvals(live)
    assert len(approvals) == 3 and len(set(approvals)) == 2  # two undone, then one approved
    # A stale selection sent anyway (another tab, an old page) is refused by the server.
    page.evaluate(
        "document.querySelectorAll('#cards .card').forEach(c => c.dataset.version = '1.1')"
    )
    page.keyboard.press("f")
    expect(page.locator("#toasts .toast.error").first).to_contain_text("409")
    expect(cards).to_have_count(2)  # the card came back
    assert len(_approvals(live)) == 3


def test_b_suspends_for_24_hours_and_a_ban_needs_its_confirmation(browser, live):
    _held(live)
    page = live.login(browser.new_context(locale="fr-FR"), "alice")
    page.keyboard.press("b")
    dialog = page.locator("#sanction-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator('input[value="suspend"]')).to_be_checked()
    expect(dialog.locator('select[name="hours"]')).to_have_value("24")
    expect(dialog.locator('select[name="hours"] option:checked')).to_have_text("24 heures")
    expect(dialog.locator('select[name="hours"]')).not_to_contain_text("720")
    assert _serious(page) == []
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/authors/*")
    with live.app.app_context():
        (sanction,) = db.session.scalars(select(Sanction)).all()
        assert sanction.kind == "suspend"
        hours = (sanction.until - sanction.created_at).total_seconds() / 3600
        assert 23.9 < hours < 24.1
        db.remove()
    page.goto(f"{live.url}/console/queue/pending")
    page.keyboard.press("b")
    dialog.locator('input[value="ban"]').check()
    confirm = dialog.locator("[data-confirm-ban]")
    expect(confirm).to_be_visible()
    page.click("#sanction-confirm")  # not confirmed: the browser holds the form back
    expect(dialog).to_be_visible()
    confirm.locator("input").check()
    page.click("#sanction-confirm")
    page.wait_for_url("**/console/authors/*")
    with live.app.app_context():
        kinds = sorted(s.kind for s in db.session.scalars(select(Sanction)))
        db.remove()
    assert kinds == ["ban", "suspend"]
