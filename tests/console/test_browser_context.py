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
    # In the site's zone (Paris), French style: « 7 déc. 2026 à 18:05 ».
    expect(notice.locator("time")).to_have_text(re.compile(r"^\d{1,2} \S+ \d{4} à \d\d:\d\d$"))
    expect(card.locator(".flags")).to_contain_text(
        "Signalé par un lecteur sans commentaire sur le site"
    )
    expect(card).not_to_contain_text("peu fiable")
    assert _serious(page) == []
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    card.screenshot(path=str(SHOTS / "reported-card.png"))


def test_search_with_slash_and_the_history_pages(browser, live):
    live.post("s-1", "Les élèves réfléchissent à l'écologie, quel idiot ce ministre")
    live.post("s-2", "Un crétin de plus", author={"id": "u-2", "source": "google", "name": "Zoé"})
    live.post("s-3", "Merci pour cet article sur l'école")
    live.post("s-4", "L'élève a raison", parent_id="s-1")
    page = live.login(browser.new_context(locale="fr-FR"), "alice")
    # In the queue: "/" focuses the search box, which narrows the cards.
    page.keyboard.press("/")
    box = page.locator("#search")
    expect(box).to_be_focused()
    assert box.get_attribute("type") == "search"
    page.keyboard.type("ELEVES")
    page.keyboard.press("Enter")
    expect(page.locator("#cards .card")).to_have_count(1)
    expect(page.locator("#cards .card")).to_contain_text("Les élèves réfléchissent")
    # The comment lists: every comment, searched by words without accents, and filtered.
    page.click("nav >> text=Commentaires")
    expect(page.locator("h1")).to_contain_text("Tous")
    page.keyboard.press("/")
    expect(page.locator("#search")).to_be_focused()
    page.keyboard.type("eleve")
    page.keyboard.press("Enter")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#results")).not_to_contain_text("crétin")
    expect(page.locator("#results")).not_to_contain_text("Merci pour cet article")
    page.select_option("select[name=source]", "google")
    page.click("form.filters button[type=submit]")
    expect(page.locator("#no-results")).to_be_visible()
    page.goto(f"{live.url}/console/comments?q=eleve")
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.screenshot(path=str(SHOTS / "search.png"))
    assert _serious(page) == []
    # The comment's page: the conversation; then the article's.
    page.click("#results a:has-text('Les élèves réfléchissent')")
    expect(page.locator("#comment-page .replies")).to_contain_text("L'élève a raison")
    assert _serious(page) == []
    page.click("#comment-page p a[href*='/articles/']")
    expect(page.locator("#article-page li")).to_have_count(4)
    expect(page.locator("#article-page li.depth-1")).to_contain_text("L'élève a raison")
    assert _serious(page) == []
    page.goto(f"{live.url}/console/mine")
    assert _serious(page) == []
