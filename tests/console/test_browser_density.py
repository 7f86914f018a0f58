"""Density and calm in a real browser: four cards in 1440x900, live counts, live author lines."""

from __future__ import annotations

import functools
import re
import threading
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.console.conftest import RULES

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
FIRST_COMMENT = """
  - id: first-comment
    description: "Premier commentaire de l'auteur"
    if: {author: {approved_count: 0, rejected_count: 0}}
    then: flag
    reason: first_comment
"""
BODIES = (
    "Quel idiot, ce ministre : il n'a visiblement jamais mis les pieds dans une école de campagne.",
    "Espèce de crétin, relisez l'article avant de commenter, tout y est expliqué noir sur blanc.",
    "Encore un idiot qui confond l'inflation et la hausse des prix de l'énergie, c'est désolant.",
    "Voyez https://spam.example/x pour la vraie version des faits, que les médias vous cachent.",
    "Le maire est un crétin et son adjoint un idiot, les deux ensemble c'est une catastrophe.",
    "Il faut être idiot pour croire que la réforme passera sans 49.3, soyons sérieux deux minutes.",
    "Franchement, quel crétin a validé ce tracé de tram qui coupe le marché en deux le samedi ?",
)


@pytest.fixture
def live_rules():
    """The console's rules, with the common "first comment" flag of a real house ruleset."""
    return RULES + FIRST_COMMENT


def _seed(live, n: int, start: int = 0, author: str | None = None) -> None:
    for i in range(start, start + n):
        who = author or f"u-{i}"
        live.post(
            f"d-{i}",
            BODIES[i % len(BODIES)],
            author={"id": who, "source": "google", "name": f"Lecteur {who}"},
        )


def _serious(page):
    found = Axe().run(page).response["violations"]
    return [v["id"] for v in found if v["impact"] in ("serious", "critical")]


def test_four_cards_fit_a_1440x900_screen_the_rest_behind_why_held(browser, live):
    _seed(live, 7)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1440, "height": 900})
    page = live.login(context, "alice")
    cards = page.locator("#cards .card")
    expect(cards).to_have_count(7)
    boxes = [cards.nth(i).bounding_box() for i in range(7)]
    whole = [
        b
        for b in boxes
        if b and b["y"] >= 0 and b["y"] + b["height"] <= 900 and b["x"] + b["width"] <= 1440
    ]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "queue-density.png"))
    assert len(whole) >= 4, boxes
    first = page.locator("#cards .card", has_text="Lecteur u-0")
    # The deciding rule in one line; the other rules and the scores wait behind the disclosure.
    expect(first.locator(".held")).to_contain_text("Insultes (art. 2)")  # the rule by its name
    expect(first.locator(".held strong")).to_have_attribute("title", "insults")
    expect(first.locator(".why .hits")).to_be_hidden()
    summary = first.locator(".why summary")
    expect(summary).to_have_text("Pourquoi retenu")
    summary.focus()
    page.keyboard.press("Enter")
    expect(first.locator(".why .hits")).to_be_visible()
    expect(first.locator(".why .hits")).to_contain_text("Premier commentaire de l'auteur")
    page.keyboard.press("Enter")
    expect(first.locator(".why .hits")).to_be_hidden()
    # "First comment" is context in the author line, never the card's headline.
    expect(page.locator('#cards .card-head .reason[title="first_comment"]')).to_have_count(0)
    expect(first.locator(".card-head .reason")).to_have_text("Injure")  # code in its title
    line = first.locator(".author-summary")
    expect(line).to_contain_text("1er commentaire")
    height = line.bounding_box()["height"]
    line_height = float(line.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert height < 1.5 * line_height, (height, line_height)  # one line
    assert _serious(page) == []
    # The keys still work on the denser cards (the disclosure's card is the current one).
    expect(first).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("j")
    expect(cards.nth(2)).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("f")
    expect(page.locator("#cards .card:not(.gone)")).to_have_count(6)
    expect(page.locator('#tabs a[data-queue="pending"] .count')).to_have_text("6")


def _slow_first_call(app, endpoint: str, seconds: float) -> None:
    """Make the first answer of ``endpoint`` late, as on a busy server."""
    view = app.view_functions[endpoint]
    first = threading.Event()

    @functools.wraps(view)
    def slowed(*args, **kwargs):
        if not first.is_set():
            first.set()
            time.sleep(seconds)
        return view(*args, **kwargs)

    app.view_functions[endpoint] = slowed


def test_tab_count_follows_comments_arriving_in_a_burst(browser, live):
    _seed(live, 2)
    page = live.login(browser.new_context(locale="fr-FR"), "alice")
    count = page.locator('#tabs a[data-queue="pending"] .count')
    expect(count).to_have_text("2")
    # A late answer must not hide the ones after it (the tab said 6 with 7 pending).
    for endpoint in ("console.sync", "console.queue_counts"):
        _slow_first_call(live.app, endpoint, 1.5)
    for i in range(2, 5):
        _seed(live, 1, start=i)
        time.sleep(0.3)
    expect(count).to_have_text("5", timeout=8000)


def test_tab_count_is_live_without_redis_too(browser, live):
    live.app.extensions["redis"] = None  # the embedded setup: the page polls
    _seed(live, 1)
    page = live.login(browser.new_context(locale="fr-FR"), "alice")
    assert page.locator("#queue-page").get_attribute("data-live") == "poll"
    count = page.locator('#tabs a[data-queue="pending"] .count')
    expect(count).to_have_text("1")
    _seed(live, 2, start=1)
    expect(count).to_have_text("3", timeout=8000)  # a poll every 5 s, not 20


def test_the_card_shows_a_note_and_a_sanction_made_in_the_drawer(browser, live):
    _seed(live, 2, author="u-9")
    _seed(live, 1, start=2)
    page = live.login(browser.new_context(locale="fr-FR"), "alice")
    mine = page.locator("#cards .card", has_text="Lecteur u-9")
    other = page.locator("#cards .card", has_text="Lecteur u-2")
    expect(mine).to_have_count(2)
    expect(mine.locator(".notes-count")).to_have_text(["0", "0"])
    mine.first.locator(".author-link").click()
    drawer = page.locator("#drawer")
    expect(drawer.locator("#author-h")).to_be_focused()
    drawer.locator("#note-body").fill("Déjà averti la semaine dernière")
    drawer.locator("form:has(#note-body) button[type=submit]").click()
    expect(drawer.locator(".notes")).to_contain_text("Déjà averti")
    expect(mine.locator(".notes-count")).to_have_text(["1", "1"])  # every card of the author
    expect(mine.locator(".sanctions")).to_have_text(["aucune", "aucune"])
    drawer.locator(".sanction-form button[type=submit]").click()  # the 24-hour suspension
    expect(mine.first.locator(".sanctions")).not_to_have_text("aucune")
    expect(mine.nth(1).locator(".sanctions")).not_to_have_text("aucune")
    expect(other.locator(".notes-count")).to_have_text("0")
    expect(other.locator(".sanctions")).to_have_text("aucune")
    assert _serious(page) == []
