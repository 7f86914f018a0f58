"""The spot checks tab in a browser: reached by keys, blind cards, labelled by keys, axe-clean."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_spot_checks_queue_is_labelled_blind_with_the_keyboard(browser, live):
    live.app.config["SPOT_CHECK_RATE"] = 1.0
    live.post("p-1", "Merci pour l'article")
    live.post("p-2", "Un papier nul, franchement")
    live.post("h-1", "Quel idiot, franchement")  # held: pending, never spot-checked
    page = live.login(browser.new_context(), "alice")
    expect(page.locator("#tabs a[data-queue=spot_checks] .count")).to_have_text("2")
    page.keyboard.press("t")
    expect(page).to_have_url(f"{live.url}/console/queue/reported")
    expect(page.locator("#tabs a[data-queue=spot_checks]")).to_be_visible()
    page.keyboard.press("t")
    expect(page).to_have_url(f"{live.url}/console/queue/spot_checks")
    cards = page.locator("#cards .card.spot-check")
    expect(cards).to_have_count(2)
    expect(page.locator("#spot-check-note")).to_be_visible()
    for hidden in ("mark", ".scores", ".hits", ".flags", ".author-summary", ".sanction"):
        expect(page.locator(f"#cards {hidden}")).to_have_count(0)
    results = Axe().run(page)
    serious = [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    first, second = cards.nth(0), cards.nth(1)
    expect(first).to_be_focused()
    expect(first).to_contain_text("Merci pour l'article")
    page.keyboard.press("f")
    expect(first).to_be_hidden()
    expect(second).to_be_focused()
    page.keyboard.press("d")
    expect(page.locator("#reject-dialog")).to_be_visible()
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect(second).to_be_hidden()
    # After the undo window the site hears the overturn; the confirmed one stays approved.
    for _ in range(100):
        if live.receiver.got("p-2", 1, "rejected"):
            break
        page.wait_for_timeout(100)
    assert live.receiver.got("p-2", 1, "rejected")
    assert not live.receiver.got("p-1", 1, "rejected")
    with live.app.app_context():
        record = live.site.get("p-2").json
        assert (
            record["decision"]["spot_check"] is True
            and record["decision"]["decided_by"] == "moderator:alice"
        )
