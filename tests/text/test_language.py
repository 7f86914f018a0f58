"""Language detection: py3langid restricted to French and English; the hint only breaks doubt."""

from __future__ import annotations

import pytest

from moderation.text.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Merci pour cet article, très bien écrit", "fr"),
        ("Je ne suis pas d'accord avec le ministre", "fr"),
        ("t'es qu'un gros nul franchement", "fr"),
        ("Thanks for this article, well written", "en"),
        ("you stupid idiot", "en"),
    ],
)
def test_the_text_decides_when_it_can(text: str, expected: str) -> None:
    assert detect_language(text) == expected
    other = "en" if expected == "fr" else "fr"
    assert detect_language(text, other) == expected  # a site hint does not override the text


@pytest.mark.parametrize("text", ["", "😀😀", "12345", "ok"])
def test_the_hint_decides_when_the_text_cannot(text: str) -> None:
    assert detect_language(text, "fr") == "fr"
    assert detect_language(text, "en-GB") == "en"
    assert detect_language(text) == "und"
    assert detect_language(text, "de") == "und"
