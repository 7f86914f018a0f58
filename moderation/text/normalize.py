"""French-aware text folding with a map back to the original offsets.

``normalize(text).text`` is what term matching and the classifier look at:
lower case, no accents, straight apostrophes, no zero-width characters,
Cyrillic/Greek look-alikes turned Latin, leetspeak read as letters, spaced-out
letters joined and emphatic letter runs squeezed. ``Normalized.span`` maps a
span of the folded text back to the original text, so a match can be shown
to a moderator exactly where the author wrote it.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

# Look-alike letters from other scripts, folded after lower-casing.
_HOMOGLYPHS = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "з": "3", "і": "i", "ї": "i", "ј": "j",
    "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y",
    "х": "x", "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ɡ": "g",
    # Greek
    "α": "a", "β": "b", "γ": "y", "δ": "d", "ε": "e", "ζ": "z", "η": "n", "ι": "i",
    "κ": "k", "μ": "u", "ν": "v", "ο": "o", "ρ": "p", "σ": "o", "ς": "c", "τ": "t",
    "υ": "u", "χ": "x", "ω": "w",
    # Latin letters that NFKD does not decompose
    "œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
    "ß": "ss", "ſ": "s",
}  # fmt: skip
_APOSTROPHES = "'’‘‛ʼʻ`´′＇"
_DASHES = "‐‑‒–—―−"
_LEET = str.maketrans("0134579@$!|", "oieastgasil")
_LEET_CHARS = frozenset("0134579@$!|")
# Ordinals, units, times and codes ("5e", "1er", "12h30", "4x4", "G7", "COP28", "covid19")
# are not leetspeak; "merd3" or "c0n" are.
_NUMERIC = re.compile(r"\d+[a-z]{0,3}\d*|[a-z]{1,3}\d+|[a-z]+\d{2,}")
_LEET_TOKEN = re.compile(r"(?<![\w@$!|])[\w@$!|]*?[0-9@$!|][\w@$!|]*")
# Letters spelled out one by one: c o n n a r d, c.o.n.n.a.r.d, c-o-n-n-a-r-d.
_SPACED = re.compile(r"(?<![\w'])[a-z](?:([ .\-_*/])[a-z](?:\1[a-z])+)(?![\w'])")
# A French sentence has runs of one-letter words made of these ("il y a a"): never joined.
_ONE_LETTER_WORDS = frozenset("ayo")
_RUN = re.compile(r"([a-z])\1{2,}")
_PUNCT_RUN = re.compile(r"[\W_]+")
_SPACE_RUN = re.compile(r"\s{2,}")


@dataclass(frozen=True)
class _Offsets:
    text: str  # the folded text, identical to the fast fold's
    starts: tuple[int, ...] | None  # None: folded offsets equal original offsets
    ends: tuple[int, ...] | None
    emphasis: tuple[int, ...]  # sorted original offsets where a letter run was squeezed


@dataclass(frozen=True)
class Normalized:
    """Folded text plus a lazy map from folded offsets to original offsets."""

    text: str
    original: str
    words: bool = False  # made by ``normalize_words`` (the map is rebuilt the same way)

    @cached_property
    def _offsets(self) -> _Offsets:
        # Folding with offset tracking costs several times the plain fold; it only runs
        # for the few comments where something matched and a span must be shown.
        return _track(self.original, self.words)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``[start, end)`` of the folded text to ``[start, end)`` of the original."""
        if end <= start:
            pos = self._start(min(start, len(self.text)))
            return pos, pos
        return self._start(start), self._end(end - 1)

    def emphasised(self, start: int, end: int) -> bool:
        """True when the original ``[start, end)`` contains a squeezed letter run."""
        emphasis = self._offsets.emphasis
        i = bisect.bisect_left(emphasis, start)
        return i < len(emphasis) and emphasis[i] < end

    def _start(self, i: int) -> int:
        if i >= len(self.text):
            return len(self.original)
        starts = self._offsets.starts
        return i if starts is None else starts[i]

    def _end(self, i: int) -> int:
        ends = self._offsets.ends
        return i + 1 if ends is None else ends[i]


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first sight of each character."""

    def __init__(self) -> None:
        super().__init__()
        self.irregular: set[str] = set()  # characters not folded to exactly one character

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if len(folded) != 1:
            self.irregular.add(chr(code))
        if code < 0x10000:  # bound the cache; astral characters are rare
            self[code] = folded
        return folded


def _fold_char(ch: str) -> str:
    if ch in _APOSTROPHES:
        return "'"
    if ch in _DASHES:
        return "-"
    category = unicodedata.category(ch)
    if category == "Cf":  # zero-width and other format characters
        return ""
    if category in ("Zs", "Zl", "Zp", "Cc"):
        return " "
    out = []
    for part in unicodedata.normalize("NFKD", ch):
        if unicodedata.combining(part):
            continue
        for low in part.lower():
            out.append(_HOMOGLYPHS.get(low, low))
    return "".join(out)


_TABLE: _FoldTable | None = None


def _table() -> _FoldTable:
    global _TABLE
    if _TABLE is None:
        _TABLE = _FoldTable()
    return _TABLE


class _Builder:
    """Folded text with per-character original offsets, rewritten stage by stage."""

    def __init__(self, original: str) -> None:
        table = _table()
        self.original = original
        self.text = original.translate(table)
        self.starts: list[int] | None = None
        self.ends: list[int] | None = None
        self.emphasis: list[int] = []
        if not table.irregular.isdisjoint(original):
            self._fold_irregular(table)

    def _fold_irregular(self, table: _FoldTable) -> None:
        pieces, starts, ends = [], [], []
        for i, ch in enumerate(self.original):
            folded = table[ord(ch)]
            pieces.append(folded)
            starts.extend([i] * len(folded))
            ends.extend([i + 1] * len(folded))
        self.text, self.starts, self.ends = "".join(pieces), starts, ends

    def origin(self, i: int) -> tuple[int, int]:
        """Original ``[start, end)`` of folded character ``i``."""
        if self.starts is None or self.ends is None:
            return i, i + 1
        return self.starts[i], self.ends[i]

    def rewrite(self, pattern: re.Pattern[str], fn: Callable[[re.Match[str]], str | None]) -> None:
        """Replace matches by ``fn(match)``: a same-length string or the kept characters.

        ``fn`` returns None to leave a match alone, a string of the match's length to
        substitute character for character, or a shorter string made by deleting
        characters of the match (each kept character keeps its origin).
        """
        keep: list[int] = []
        pieces: list[str] = []
        pos = 0
        for m in pattern.finditer(self.text):
            new = fn(m)
            if new is None:
                continue
            a, b = m.span()
            pieces.append(self.text[pos:a])
            keep.extend(range(pos, a))
            pieces.append(new)
            keep.extend(_kept(m.group(), new, a))
            pos = b
        if not pieces:
            return
        pieces.append(self.text[pos:])
        keep.extend(range(pos, len(self.text)))
        self._apply("".join(pieces), keep)

    def _apply(self, text: str, keep: list[int]) -> None:
        if len(keep) == len(self.text):  # same length: offsets unchanged
            self.text = text
            return
        origins = [self.origin(i) for i in keep]
        self.text = text
        self.starts = [o[0] for o in origins]
        self.ends = [o[1] for o in origins]

    def offsets(self) -> _Offsets:
        """Freeze the offset map."""
        starts = None if self.starts is None else tuple(self.starts)
        ends = None if self.ends is None else tuple(self.ends)
        return _Offsets(self.text, starts, ends, tuple(sorted(self.emphasis)))


def _kept(old: str, new: str, offset: int) -> list[int]:
    """Indices of the characters of ``old`` that ``new`` keeps (same length: all)."""
    if len(new) == len(old):
        return list(range(offset, offset + len(old)))
    kept, i = [], 0
    for ch in new:
        k = old.find(ch, i)
        if k < 0:
            k = min(i, len(old) - 1)
        kept.append(offset + k)
        i = k + 1
    return kept


def _unleet(m: re.Match[str]) -> str | None:
    token = m.group().strip("!|")
    if not any(c.isalpha() for c in token) or _NUMERIC.fullmatch(token):
        return None
    lead = len(m.group()) - len(m.group().lstrip("!|"))
    whole = m.group()
    return whole[:lead] + token.translate(_LEET) + whole[lead + len(token) :]


def _join_spaced(m: re.Match[str]) -> str | None:
    letters = m.group()[::2]
    if set(letters) <= _ONE_LETTER_WORDS:
        return None
    return letters


def _track(text: str, words: bool) -> _Offsets:
    """Fold again, this time recording where each folded character came from."""
    b = _Builder(text)
    if not _LEET_CHARS.isdisjoint(b.text):
        b.rewrite(_LEET_TOKEN, _unleet)
    b.rewrite(_SPACED, _join_spaced)
    b.rewrite(_RUN, lambda m: _squeeze(b, m))
    b.rewrite(_PUNCT_RUN if words else _SPACE_RUN, lambda m: " ")
    return b.offsets()


def _squeeze(b: _Builder, m: re.Match[str]) -> str:
    b.emphasis.append(b.origin(m.start())[0])
    return m.group(1)


def _fold(text: str, words: bool) -> str:
    # Same stages as ``_track``, with C-level substitutions wherever possible.
    folded = text.translate(_table())
    if not _LEET_CHARS.isdisjoint(folded):
        folded = _LEET_TOKEN.sub(lambda m: _unleet(m) or m.group(), folded)
    folded = _SPACED.sub(lambda m: _join_spaced(m) or m.group(), folded)
    folded = _RUN.sub(r"\1", folded)
    return (_PUNCT_RUN if words else _SPACE_RUN).sub(" ", folded)


def normalize(text: str) -> Normalized:
    """Fold ``text`` for matching and features; punctuation is kept."""
    return Normalized(_fold(text, words=False), text, words=False)


def normalize_words(text: str) -> Normalized:
    """Fold ``text`` to words separated by single spaces (apostrophes and punctuation too)."""
    return Normalized(_fold(text, words=True), text, words=True)


def fold_chars(text: str) -> str:
    """Fold each character alone (case, accents, look-alikes), no word-level stage."""
    return text.translate(_table())


def squeeze(folded: str) -> str:
    """Collapse every doubled letter of a folded term (``connard`` -> ``conard``)."""
    return re.sub(r"([a-z])\1+", r"\1", folded)
