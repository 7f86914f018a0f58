"""Text folding and n-gram analysers shared, byte for byte, by training and scoring.

The classifier keeps its own frozen folding (tagged ``FEATURES_VERSION`` in every artifact)
rather than the shared ``moderation.text.normalize``: a shipped model must see exactly
the features it was trained on, even after the rules' normaliser evolves.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

#: Names the folding and n-gram scheme; an artifact built with another one is refused.
FEATURES_VERSION = "fold-2/word-1-2/char-wb-2-5"

_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|fr|net|org|ly|io|info|biz|be|ch|co|tv|me)\b(?:/\S*)?",
    re.I,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_MENTION = re.compile(r"(?<!\w)@\w+")
_LEET_MAP = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "@": "a",
    "$": "s",
    "!": "i",
}
# Digits count as letters next to a letter (c0nn4rd); symbols only between letters (s@l0pe).
_LEET = re.compile(r"(?<=[^\W\d_])[013457]|[013457](?=[^\W\d_])|(?<=[^\W\d_])[@$!](?=[^\W\d_])")
_LEET_HINT = re.compile(r"[013457@$!]")
_REPEAT = re.compile(r"([^\W\d_])\1{2,}|([^\w\s])\2{2,}")
_SPACED = re.compile(r"(?<!\w)(?:[^\W\d_][ .]){3,}[^\W\d_](?!\w)")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_SPECIAL = {"œ": "oe", "æ": "ae", "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"}
_SPECIAL |= {"«": '"', "»": '"', "“": '"', "”": '"', "–": "-", "—": "-", "\u200b": ""}
_SPECIAL |= {"\u200c": "", "\u200d": "", "\ufeff": "", "\u00ad": ""}


class _FoldTable(dict[int, str]):
    """``str.translate`` table computed lazily per code point: case, accents, ligatures."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _SPECIAL.get(char)
        if folded is None:
            decomposed = unicodedata.normalize("NFKD", char)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
            folded = "".join(_SPECIAL.get(c, c) for c in folded)
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def _repeat(match: re.Match[str]) -> str:
    return match.group(0)[:2]


def _leet(match: re.Match[str]) -> str:
    return _LEET_MAP[match.group(0)]


def _despace(match: re.Match[str]) -> str:
    return match.group(0)[::2]


# (pattern, replacement) applied in order; the first three run on the original text.
# Links are dropped: the spam corpora put a link in nearly every spam, so a link token
# made every tweet with a link "likely spam"; house rules judge links (has_link, domains).
_BEFORE: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_URL, lambda m: " "),
    (_EMAIL, lambda m: " xemailx "),
    (_MENTION, lambda m: " xuserx "),
)
_AFTER: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_LEET, _leet),
    (_REPEAT, _repeat),
    (_SPACED, _despace),
    (_SPACES, lambda m: " "),
)


def fold(text: str) -> str:
    """Fold a comment for features: links, case, accents, ligatures, leetspeak, repeats."""
    for pattern, repl in _BEFORE:
        # Skipping a pattern that cannot match changes nothing and saves a scan.
        if pattern is _URL or "@" in text:
            text = pattern.sub(repl, text)
    text = text.translate(_TABLE)
    for pattern, repl in _AFTER:
        if pattern is not _LEET or _LEET_HINT.search(text):
            text = pattern.sub(repl, text)
    return text


@dataclass
class Folded:
    """Folded text with, per folded character, the original span it came from."""

    text: str
    starts: list[int]
    ends: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of folded characters ``[start, end)``."""
        return self.starts[start], self.ends[end - 1]


def _sub_tracked(
    pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], folded: Folded
) -> Folded:
    text, starts, ends = [], [], []
    last = 0
    for match in pattern.finditer(folded.text):
        a, b = match.span()
        text.append(folded.text[last:a])
        starts += folded.starts[last:a]
        ends += folded.ends[last:a]
        new = repl(match)
        text.append(new)
        if len(new) == b - a:
            starts += folded.starts[a:b]
            ends += folded.ends[a:b]
        else:
            starts += [folded.starts[a]] * len(new)
            ends += [folded.ends[b - 1]] * len(new)
        last = b
    text.append(folded.text[last:])
    return Folded("".join(text), starts + folded.starts[last:], ends + folded.ends[last:])


def _translate_tracked(folded: Folded) -> Folded:
    text, starts, ends = [], [], []
    for char, start, end in zip(folded.text, folded.starts, folded.ends, strict=True):
        out = _TABLE[ord(char)]
        text.append(out)
        starts += [start] * len(out)
        ends += [end] * len(out)
    return Folded("".join(text), starts, ends)


def fold_tracked(text: str) -> Folded:
    """``fold`` that also maps every folded character back to the original text."""
    folded = Folded(text, list(range(len(text))), list(range(1, len(text) + 1)))
    for pattern, repl in _BEFORE:
        folded = _sub_tracked(pattern, repl, folded)
    folded = _translate_tracked(folded)
    for pattern, repl in _AFTER:
        folded = _sub_tracked(pattern, repl, folded)
    return folded


def word_spans(folded: str) -> list[tuple[str, int, int]]:
    """Words of folded text with their [start, end)."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(folded)]


def word_ngrams(folded: str) -> list[str]:
    """Word unigrams and bigrams of folded text (elisions split: ``l'idiot`` gives ``idiot``)."""
    tokens = _WORD.findall(folded)
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]


def token_ngrams(token: str) -> list[str]:
    """Character 2- to 5-grams of one whitespace token padded with a space on each side."""
    padded = f" {token} "
    return [padded[i : i + n] for n in range(2, 6) for i in range(len(padded) - n + 1)]


def char_ngrams(folded: str) -> list[str]:
    """Character n-grams within words (as scikit-learn's ``char_wb``, padded tokens)."""
    grams: list[str] = []
    for token in folded.split():
        grams += token_ngrams(token)
    return grams


def lexicon_ngrams(folded: str) -> set[str]:
    """Word 1- to 3-grams of folded text, to match multi-word lexicon entries."""
    tokens = _WORD.findall(folded)
    grams = set(tokens)
    grams.update(f"{a} {b}" for a, b in pairwise(tokens))
    grams.update(f"{a} {b} {c}" for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False))
    return grams
