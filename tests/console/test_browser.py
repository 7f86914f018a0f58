"""The console in a real browser: sign-in, every key, undo with the held callback, bulk, live."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _held(live, n=3):
    live.post("b-1", "Quel idiot, franchement")
    live.post("b-2", "Voyez https://spam.example/x", parent_id="b-1")
    live.post("b-3", "Espèce de crétin", author={"id": "u-2", "source": "google", "name": "Zoé"})
    for i in range(4, n + 1):
        live.post(
            f"b-{i}", f"Encore un idiot numéro {i}", author={"id": f"u-{i}", "source": "native"}
        )


def _cards(page):
    return page.locator("#cards .card:not(.gone)")


def _focused_item(page):
    return page.evaluate("document.activeElement.closest('.card')?.dataset.item || null")


def _statuses(live):
    return [(c["comment"]["id"], c["comment"]["status"]) for c in live.receiver.received]


def test_sign_in_bad_password_then_queue(browser, live):
    _held(live)
    page = browser.new_context().new_page()
    page.goto(f"{live.url}/console/")
    expect(page).to_have_url(f"{live.url}/console/login?next=/console/")
    page.fill("#name", "alice")
    page.fill("#password", "not the password")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("Nom ou mot de passe incorrect")
    page.fill("#name", "alice")
    page.fill("#password", "correct horse battery")
    page.click("button[type=submit]")
    expect(_cards(page)).to_have_count(3)
    expect(page.locator("#cards mark", has_text="idiot")).to_have_count(1)
    page.set_viewport_size({"width": 1200, "height": 900})
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "console.png"))
    page.click("text=Se déconnecter")
    expect(page).to_have_url(f"{live.url}/console/login")


def test_navigation_keys_and_help(browser, live):
    _held(live)
    page = live.login(browser.new_context(), "alice")
    first, second = page.locator("#cards .card").nth(0), page.locator("#cards .card").nth(1)
    expect(first).to_be_focused()
    page.keyboard.press("j")
    expect(second).to_be_focused()
    page.keyboard.press("k")
    expect(first).to_be_focused()
    page.keyboard.press("z")
    expect(page.locator("body")).to_have_class("zen")
    expect(second).to_be_hidden()
    page.keyboard.press("z")
    page.keyboard.press("?")
    expect(page.locator("#help-dialog")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("/")
    expect(page.locator("#search")).to_be_focused()
    page.locator("#search").press("Escape")
    page.locator("#cards .card").nth(0).focus()
    page.keyboard.press("b")
    expect(page.locator("#sanction-dialog")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("t")
    expect(page).to_have_url(f"{live.url}/console/queue/reported")


def test_approve_undo_and_held_callback(browser, live):
    _held(live)
    queued = len(live.receiver.wait_for(3))  # the three "queued" callbacks of intake
    page = live.login(browser.new_context(), "alice")
    first = page.locator("#cards .card").nth(0)
    item = first.get_attribute("data-item")
    page.keyboard.press("f")
    expect(first).to_be_hidden()
    expect(page.locator("#cards .card").nth(1)).to_be_focused()
    expect(page.locator("#toasts .toast")).to_contain_text("Approuvé")
    # Once htmx has settled the toast, its undo form posts by htmx (pressed earlier, the
    # plain form posts and the page reloads: the undo works, without the toast).
    expect(page.locator("#toasts .toast").first).not_to_have_class(re.compile("htmx-added"))
    page.keyboard.press("u")
    expect(first).to_be_visible()
    expect(page.locator("#toasts")).to_contain_text("Décision annulée")
    assert _focused_item(page) == item
    time.sleep(3.5)  # the undo window (3 s here): the superseded callback never goes
    assert len(live.receiver.received) == queued
    page.keyboard.press("f")
    expect(first).to_be_hidden()
    time.sleep(1.0)
    assert len(live.receiver.received) == queued  # still held
    done = live.receiver.wait_for(queued + 1, timeout=10)
    assert done[-1]["comment"]["status"] == "approved"
    # The reply with a link comes first (its rule has the higher priority).
    assert [s for s in _statuses(live) if s[1] == "approved"] == [("b-2", "approved")]


def test_reject_with_reason_choice(browser, live):
    _held(live)
    page = live.login(browser.new_context(), "alice")
    # The first card is the reply with a link, held for "links": the site's reasons have
    # no "links", so the dialog picks its group's, "spam".
    expect(page.locator("#cards .card").nth(0)).to_have_attribute("data-reason", "links")
    page.keyboard.press("d")
    dialog = page.locator("#reject-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator('input[value="spam"]')).to_be_checked()
    page.keyboard.press("3")
    third = dialog.locator('input[name="reason"]').nth(2)
    expect(third).to_be_checked()
    words = third.locator("xpath=..").inner_text().split(" ", 1)[1].strip()
    page.keyboard.press("Enter")
    expect(page.locator("#toasts .toast")).to_contain_text(f"Rejeté ({words})")
    expect(_cards(page)).to_have_count(2)


def test_bulk_select_and_approve_with_keys(browser, live):
    _held(live, n=5)
    page = live.login(browser.new_context(), "alice")
    page.keyboard.press("x")
    page.keyboard.press("Shift+J")
    page.keyboard.press("Shift+J")
    expect(page.locator("#selection-count")).to_have_text("3")
    page.keyboard.press("f")
    expect(page.locator("#toasts .toast")).to_contain_text("Approuvé")
    expect(_cards(page)).to_have_count(2)
    expect(page.locator("#selection-count")).to_have_text("0")
    page.keyboard.press("x")
    page.keyboard.press("d")
    page.keyboard.press("Enter")
    expect(_cards(page)).to_have_count(1)


def test_reject_all_of_an_author_from_the_drawer(browser, live):
    _held(live)
    live.post("b-9", "Toujours un idiot")  # a second held comment of u-1
    page = live.login(browser.new_context(), "alice")
    page.locator("#cards .card").nth(0).locator(".author-link").click()
    expect(page.locator("#drawer")).to_contain_text("Fiche auteur")
    page.fill("#note-body", "Récidiviste <b>connu</b>")
    page.click("#drawer button:has-text('Enregistrer')")
    expect(page.locator(".notes")).to_contain_text("Récidiviste <b>connu</b>")
    page.click("#reject-all")
    expect(page.locator("#toasts .toast")).to_contain_text("Rejeté")
    page.click("[data-close-drawer]")
    expect(page.locator("#drawer")).to_be_empty()


def test_two_moderators_see_each_other_live(browser, live):
    _held(live)
    alice = live.login(browser.new_context(), "alice")
    bob = live.login(browser.new_context(), "bob")
    bob_first = bob.locator("#cards .card").nth(0)
    alice.keyboard.press("f")
    expect(bob_first).to_have_class(re.compile(r"\bdim\b"), timeout=8000)
    expect(bob_first.locator("[data-moderated]")).to_have_text("modéré par alice")
    expect(bob.locator("#cards .card")).to_have_count(3)  # dimmed in place, never removed
    live.post("b-7", "Un nouvel idiot arrive")
    expect(bob.locator("#new-items")).to_contain_text("1 nouveau", timeout=8000)
    bob.keyboard.press("f")  # a dimmed card's buttons do nothing
    expect(bob.locator("#toasts .toast")).to_have_count(0)


def test_csrf_refused_in_the_browser(browser, live):
    _held(live)
    page = live.login(browser.new_context(), "alice")
    item = page.locator("#cards .card").nth(0).get_attribute("data-item")
    status = page.evaluate(
        """async (item) => (await fetch('/console/decide', {method: 'POST',
            headers: {'Content-Type': 'application/x-www-form-urlencoded'},
            body: 'action=approve&items=' + item})).status""",
        item,
    )
    assert status == 403


def test_english_switch(browser, live):
    _held(live)
    page = live.login(browser.new_context(), "alice")
    page.click("button[name=lang][value=en]")
    expect(page.locator("#cards .card").nth(0).locator(".approve")).to_have_text("Approve (f)")
