"""Words, not codes, in a French Chromium: the queue, the reject dialog of the site's reasons
(grouped, keyed, the held reason chosen, a message to the author), dates in the site's zone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from moderation.comments.models import Comment
from moderation.contracts import LABELS
from moderation.extensions import db
from moderation.localtime import format_when
from moderation.sites.models import Site
from moderation.sites.reasons import set_site_reasons

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
#: Codes a moderator must never read in a card's text (they may sit in title attributes).
CODES = re.compile(
    r"\b(insults?|links|review|flag|native|google|first_comment|likely|very_likely|toxicity"
    r"|severe_toxicity|identity_attack|threat|obscene|moderator:\w+)\b"
)
DEFAULT_REASONS = [
    "insult",
    "harassment",
    "obscene",
    "hate",
    "threat",
    "spam",
    "personal_data",
    "off_topic",
    "illegal",
    "other",
]
GROUPS = ["Injures", "Haine", "Menaces", "Spam", "Données personnelles", "Hors sujet", "Autre"]
FRENCH_WHEN = re.compile(r"^\d{1,2} [a-zéû]+\.? \d{4} à \d{2}:\d{2}$")


def _french(browser, **options):
    # The browser's own zone is New York: every date shown must come from the server's zone.
    return browser.new_context(locale="fr-FR", timezone_id="America/New_York", **options)


def _held(live):
    live.post("w-1", "Quel idiot, franchement")
    live.post("w-2", "Voyez https://spam.example/x", parent_id="w-1")
    live.post("w-3", "Espèce de crétin", author={"id": "u-2", "source": "google", "name": "Zoé"})


def _serious(page):
    found = Axe().run(page).response["violations"]
    return [v["id"] for v in found if v["impact"] in ("serious", "critical")]


def test_a_card_shows_words_and_keeps_codes_in_tooltips(browser, live_scored):
    _held(live_scored)
    page = live_scored.login(_french(browser, viewport={"width": 1440, "height": 900}), "alice")
    cards = page.locator("#cards .card")
    expect(cards).to_have_count(3)
    for n in range(3):
        text = cards.nth(n).inner_text()
        assert not CODES.search(text), (CODES.search(text), text)
    insult = page.locator("#card-" + _item(page, "Zoé"))
    expect(insult.locator('.hits strong[title="insults"]')).to_have_text("Insultes (art. 2)")
    expect(insult.locator('.tag.reason[title="insult"]')).to_have_text("Injure")
    expect(insult.locator('.author-summary [title="google"]')).to_have_text("Google")
    expect(insult.locator('.hits [title="review"]')).to_have_text("à relire")
    scores = insult.locator(".scores th[title]")
    assert scores.count() >= 1  # the tiny model scored it: labels in words, codes in titles
    assert scores.first.get_attribute("title") in LABELS
    assert not CODES.search(scores.first.inner_text())
    if insult.locator('.scores [title="likely"]').count():
        expect(insult.locator('.scores [title="likely"]').first).to_have_text("seuil « probable »")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "queue.png"))
    assert _serious(page) == []
    page.click("button[name=lang][value=en]")
    insult = page.locator("#card-" + _item(page, "Zoé"))
    expect(insult.locator('.tag.reason[title="insult"]')).to_have_text("Insult")
    expect(insult.locator('.hits [title="review"]')).to_have_text("to review")


def _item(page, author):
    card = page.locator("#cards .card", has=page.locator(".author-link", has_text=author))
    return card.first.get_attribute("data-item")


def test_the_reject_dialog_offers_the_sites_reasons_by_group_and_key(browser, live):
    _held(live)
    queued = len(live.receiver.wait_for(3))
    page = live.login(_french(browser, viewport={"width": 1440, "height": 900}), "alice")
    dialog = page.locator("#reject-dialog")
    # The first card is the reply held for "links": not a reason of the site's, so its
    # group's ("spam") is chosen.
    page.keyboard.press("d")
    expect(dialog).to_be_visible()
    radios = dialog.locator('input[name="reason"]')
    assert [radios.nth(i).get_attribute("value") for i in range(radios.count())] == (
        DEFAULT_REASONS
    )
    expect(dialog.locator(".reason-group-name")).to_have_text(GROUPS)
    expect(dialog.locator(".reason-choice kbd")).to_have_text([*"123456789", "0"])
    expect(dialog.locator('input[value="spam"]')).to_be_checked()
    assert not CODES.search(dialog.inner_text())
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "reject-dialog.png"))
    assert _serious(page) == []
    page.keyboard.press("0")
    expect(dialog.locator('input[value="other"]')).to_be_checked()
    page.keyboard.press("1")
    expect(dialog.locator('input[value="insult"]')).to_be_checked()
    message = "Vous pouvez critiquer l'idée, pas la personne : 2 fois déjà."
    page.locator("#reject-message").click()
    page.keyboard.type(message)  # digits typed here pick no reason
    expect(dialog.locator('input[value="insult"]')).to_be_checked()
    page.keyboard.press("Control+Enter")
    expect(page.locator("#toasts .toast").first).to_contain_text("Rejeté (Injure)")
    callback = live.receiver.wait_for(queued + 1, timeout=10)[-1]
    assert callback["comment"]["status"] == "rejected"
    assert callback["comment"]["reason"] == "insult"
    assert callback["comment"]["message"] == message
    assert f"« {message} »" in callback["statement"]["text"]
    assert "links" not in callback["statement"]["text"]
    # The next card was held for "insult": that reason is chosen, the message field empty.
    page.keyboard.press("d")
    expect(dialog.locator('input[value="insult"]')).to_be_checked()
    expect(page.locator("#reject-message")).to_have_value("")
    page.keyboard.press("Escape")
    page.goto(f"{live.url}/console/mine")
    row = page.locator("table.list tbody tr").first
    expect(row.locator("td").nth(2)).to_have_text("Injure")
    assert FRENCH_WHEN.match(row.locator("time").inner_text())


def test_each_site_offers_its_own_reasons_on_one_page(browser, live):
    from moderation.sites.service import add_site
    from tests.helpers import SiteClient, payload

    _held(live)
    with live.app.app_context():
        set_site_reasons(db.session, slug="demo", codes=["other", "hate", "insult"])
        _site, secret = add_site(db.session, slug="blog", callback_url=live.receiver.url)
        set_site_reasons(db.session, slug="blog", codes=["spam", "off_topic", "other"])
        db.session.commit()
        blog = SiteClient(live.app.test_client(), "blog", secret)
        assert blog.post(payload("g-1", "Un idiot sur le blog")).status_code == 202
    page = live.login(_french(browser), "alice")
    dialog = page.locator("#reject-dialog")
    shown = dialog.locator(".reason-choice:visible")
    _card_of(page, "Espèce de crétin").locator(".reject").click()
    expect(shown).to_have_count(3)
    assert [shown.nth(i).get_attribute("title") for i in range(3)] == ["insult", "hate", "other"]
    expect(shown.locator("kbd")).to_have_text(["1", "2", "3"])
    expect(dialog.locator(".reason-group-name:visible")).to_have_text(["Injures", "Haine", "Autre"])
    expect(dialog.locator('input[value="insult"]')).to_be_checked()
    page.keyboard.press("2")
    expect(dialog.locator('input[value="hate"]')).to_be_checked()
    page.keyboard.press("Escape")
    # The blog's card: its own three reasons, renumbered; "insult" is not one, so "other".
    _card_of(page, "Un idiot sur le blog").locator(".reject").click()
    expect(shown).to_have_count(3)
    assert [shown.nth(i).get_attribute("title") for i in range(3)] == ["spam", "off_topic", "other"]
    expect(dialog.locator(".reason-group-name:visible")).to_have_text(
        ["Spam", "Hors sujet", "Autre"]
    )
    expect(dialog.locator('input[value="other"]')).to_be_checked()
    page.keyboard.press("1")
    expect(dialog.locator('input[value="spam"]')).to_be_checked()


def _card_of(page, text):
    return page.locator("#cards .card", has=page.locator(".body", has_text=text))


def test_dates_are_in_the_sites_zone_french_style(browser, live):
    _held(live)
    with live.app.app_context():
        received = db.session.scalar(
            select(Comment.received_at).where(Comment.external_id == "w-1")
        )
    page = live.login(_french(browser), "alice")
    when = _card_of(page, "Quel idiot").locator("time.when")
    expect(when).to_have_text(format_when(received, "Europe/Paris"))
    assert FRENCH_WHEN.match(when.inner_text())
    assert when.get_attribute("datetime").endswith(("+01:00", "+02:00"))
    with live.app.app_context():
        db.session.scalar(select(Site)).time_zone = "America/Martinique"
        db.session.commit()
    page.reload()
    when = _card_of(page, "Quel idiot").locator("time.when")
    expect(when).to_have_text(format_when(received, "America/Martinique"))
    assert when.get_attribute("datetime").endswith("-04:00")
    _card_of(page, "Quel idiot").locator(".author-link").click()
    page.fill("#note-body", "Déjà averti")
    page.click("#drawer button:has-text('Enregistrer')")
    assert FRENCH_WHEN.match(page.locator(".notes time").first.inner_text())
