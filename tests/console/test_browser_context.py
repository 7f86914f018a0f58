"""Context in a real browser (French locale): a reported card with its notice, and search."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.console.test_reported_cards import NOTICE, file_notice
from tests.helpers import flag

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")


def _serious(page):
    found = Axe().run(page).response["violations"]
    return [v["id"] for v in found if v["impact"] in ("serious", "critical")]


def test_a_reported_card_shows_the_notice_and_the_readers(browser, live):
    live.post("r-1", "Les juifs contrôlent les médias, tout le monde le sait")
    with live.app.app_context():
        assert file_notice(live.site, "r-1").status_code == 201
        assert flag(live.site, "r-1", "voisin", reason="hate").status_code == 201
    page = live.login(browser.new_context(locale="fr-FR"), "alice")
    page.keyboard.press("t")
    expect(page).to_have_url(f"{live.url}/console/queue/reported")
    card = page.locator("#cards .card").first
    notice = card.locator(".flags .notice")
    expect(notice).to_contain_text("Notification de contenu illicite (DSA)")
    expect(notice).to_contain_text(NOTICE["law"])
    expect(notice).to_contain_text(NOTICE["explanation"])
    expect(notice).to_contain_text(NOTICE["reporter"]["name"])
    expect(notice.locator("time")).to_have_text(re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d UTC"))
    expect(card.locator(".flags")).to_contain_text(
        "Signalé par un lecteur sans commentaire sur le site"
    )
    expect(card).not_to_contain_text("peu fiable")
    assert _serious(page) == []
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    card.screenshot(path=str(SHOTS / "reported-card.png"))
