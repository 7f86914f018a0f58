"""The words for codes: every kind in both languages, unknown codes humanised, dialog groups."""

from __future__ import annotations

import re
from pathlib import Path

from moderation import labels
from moderation.config import DEFAULT_REASONS
from moderation.contracts import LABELS


def test_known_codes_have_french_and_english_words():
    assert labels.label("reason", "first_comment") == "Premier commentaire"
    assert labels.label("reason", "first_comment", "en") == "First comment"
    assert labels.label("threshold", "very_likely") == "seuil « très probable »"
    assert labels.label("sanction", "suspend") == "Suspension"
    assert labels.label("status", "queued") == "En file"
    assert labels.label("decider", "moderator", "en") == "Moderator"


def test_every_configured_or_shipped_reason_and_model_label_has_words():
    rules = Path(__file__).resolve().parents[1] / "rules"
    shipped = set(
        re.findall(r"reason: (\w+)", "".join(p.read_text() for p in rules.glob("*.yaml")))
    )
    for code in {*DEFAULT_REASONS.split(","), *shipped}:
        assert labels.known("reason", code), code
    for code in LABELS:
        assert labels.known("score", code), code
    assert not labels.known("reason", "rudeness")


def test_an_unknown_code_is_humanised_and_an_unknown_language_falls_back_to_french():
    assert labels.label("reason", "late_night_rant") == "Late night rant"
    assert labels.label("nothing", "hate-words") == "Hate words"
    assert labels.label("reason", "hate", "de") == "Propos haineux"
    assert labels.humanise(None) == ""


def test_the_reason_phrase_reads_inside_a_sentence():
    assert labels.reason_phrase("hate") == "propos haineux"
    assert labels.reason_phrase(None) == "autre manquement à la charte"


def test_reject_order_groups_and_drops_what_is_no_ground_for_rejection():
    codes = ["other", "first_comment", "spam", "trusted", "rudeness", "hate", "insult", "links"]
    assert labels.reject_order(codes) == ["insult", "hate", "spam", "links", "other", "rudeness"]
    assert labels.reject_group("links") == "spam" and labels.reject_group("rudeness") == "other"
    assert not labels.rejectable("premod") and labels.rejectable("rudeness")
