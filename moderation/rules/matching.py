"""Matchers the conditions use: term index, safe regexes, links, e-mails, phones.

All terms of a ruleset go into one Aho-Corasick automaton, so a comment is
scanned once whatever the size of the lists. Keys and text are padded with
spaces and the text is reduced to words separated by single spaces, so every
automaton hit is already a whole-word hit: ``con`` cannot fire inside
``conseil``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import ahocorasick
import re2

from moderation.text.normalize import Normalized, normalize_words, squeeze

# Regexes from rule files run on re2 (linear time, no backtracking) with a memory cap.
_RE2_MAX_MEM = 8 << 20
_MAX_SPANS = 20  # per condition: enough to show a moderator, bounded for huge comments


def compile_regex(pattern: str, shown: str | None = None) -> Any:
    """Compile an admin's pattern with re2, case-insensitive; raise ``ValueError`` if invalid.

    ``shown`` is the pattern as its author wrote it, for the error message.
    """
    try:
        return _compiled(pattern)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        if shown is not None:  # re2 quotes the expanded pattern: drop it
            detail = str(detail).split(": ", 1)[0]
        raise ValueError(f"invalid regex {shown or pattern!r}: {detail}") from None


# Expanded patterns inline big lists and take most of a ruleset's load time to compile: a
# reload, or the same rules loaded again (tests, backtests, benchmarks), reuses them. re2
# objects are immutable and safe to share between threads; an invalid pattern raises, uncached.
@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str) -> Any:
    """One re2 object per pattern text for the whole process."""
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    options.max_mem = _RE2_MAX_MEM
    return re2.compile(pattern, options)


def regex_spans(pattern: Any, text: str) -> list[tuple[int, int]]:
    """Spans of the first matches of a compiled re2 pattern."""
    spans = []
    for m in pattern.finditer(text):
        if m.end() > m.start():
            spans.append(m.span())
        if len(spans) >= _MAX_SPANS:
            break
    return spans


def fold_term(term: str) -> str:
    """The key a term is indexed under: its folded words, single-spaced."""
    return normalize_words(term).text.strip()


class TermIndex:
    """One automaton for every term of every ``words``/``phrases`` condition."""

    def __init__(self) -> None:
        self._keys: dict[str, set[tuple[int, bool]]] = {}
        self._automaton: Any = None
        self._tags = 0

    def new_tag(self) -> int:
        """A fresh tag for one condition's terms."""
        self._tags += 1
        return self._tags

    def add(self, term: str, tag: int) -> bool:
        """Index ``term`` for condition ``tag``; False if it folds to nothing."""
        key = fold_term(term)
        if not key:
            return False
        self._keys.setdefault(f" {key} ", set()).add((tag, False))
        squeezed = squeeze(key)
        if squeezed != key:  # "connnnard" folds to "conard": accept it only if emphasised
            self._keys.setdefault(f" {squeezed} ", set()).add((tag, True))
        return True

    def build(self) -> None:
        """Freeze the automaton; call once after every ``add``."""
        automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
        for key, entries in self._keys.items():
            automaton.add_word(key, (len(key), tuple(sorted(entries))))
        if self._keys:
            automaton.make_automaton()
            self._automaton = automaton

    def scan(self, words: Normalized) -> dict[int, list[tuple[int, int]]]:
        """Original spans of every whole-word hit, by condition tag."""
        hits: dict[int, list[tuple[int, int]]] = {}
        if self._automaton is None:
            return hits
        for end, (length, entries) in self._automaton.iter(f" {words.text} "):
            # The key spans padded[end - length + 1 : end + 1]; padded[i] is text[i - 1].
            span = words.span(end - length + 1, end - 1)
            for tag, squeezed in entries:
                if squeezed and not words.emphasised(*span):
                    continue
                found = hits.setdefault(tag, [])
                if len(found) < _MAX_SPANS and span not in found:
                    found.append(span)
        return hits


@dataclass(frozen=True)
class Link:
    """A link in a comment: its host and, when found in the body, where."""

    host: str
    start: int = -1
    end: int = -1


_BARE_TLDS = "com|net|org|fr|ly|io|info|biz|xyz|co|ru|cn|tk|gl|link|site|online|shop|club|top|app"
_URL = re.compile(
    r"(?i)\b(?:https?://|www\.)[^\s<>\"'()]+"
    rf"|\b(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_BARE_TLDS})\b(?:/[^\s<>\"'()]*)?"
)
_EMAIL = re.compile(
    r"(?i)[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}"
    r"|\b[a-z0-9._%+-]+\s*(?:\[at\]|\(at\)|\barobase\b)\s*[a-z0-9-]+\s*"
    r"(?:\.|\[dot\]|\(dot\)|\bpoint\b)\s*(?:com|fr|net|org|be|ch|ca)\b"
)
_EMAIL_HINT = re.compile(r"(?i)\[at\]|\(at\)|arobase")
_PHONE_FR = re.compile(
    r"(?<![\d+])(?:(?:\+|00)33[\s.]?(?:\(0\))?[\s.]?[1-9]|0[1-9])([\s.-]?)\d{2}(?:\1\d{2}){3}(?!\d)"
)
_PHONE_INTL = re.compile(r"(?<![\d+])(?:\+|00)[1-9]\d{0,2}(?:[\s.-]?\d{2,4}){3,5}(?!\d)")


def find_links(body: str) -> list[Link]:
    """Links written in the body (with a scheme, ``www.`` or a common TLD)."""
    return [Link(host_of(m.group()), m.start(), m.end()) for m in _URL.finditer(body)]


def host_of(url: str) -> str:
    """The lower-case host of a URL or bare domain, without ``www.`` or port."""
    rest = re.sub(r"(?i)^[a-z][a-z0-9+.-]*://", "", url.strip())
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def domain_matches(host: str, domains: frozenset[str]) -> bool:
    """True when ``host`` is one of ``domains`` or a subdomain of one."""
    parts = host.split(".")
    return any(".".join(parts[i:]) in domains for i in range(len(parts)))


def iter_spans(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """Spans of an internal pattern's matches, bounded."""
    for n, m in enumerate(pattern.finditer(text)):
        if n >= _MAX_SPANS:
            return
        yield m.span()


def email_spans(body: str) -> list[tuple[int, int]]:
    """Where the body gives an e-mail address, plain or spelled out."""
    if "@" not in body and _EMAIL_HINT.search(body) is None:
        return []
    return list(iter_spans(_EMAIL, body))


def phone_spans(body: str) -> list[tuple[int, int]]:
    """Where the body gives a phone number (French or international format)."""
    spans = list(iter_spans(_PHONE_FR, body))
    for m in _PHONE_INTL.finditer(body):
        groups = re.findall(r"\d+", m.group())[1:]
        # "+5 000 000 000" is an amount: thousands groups, not a phone number.
        if not all(len(g) == 3 for g in groups) and not _overlaps(m.span(), spans):
            spans.append(m.span())
    return sorted(spans)[:_MAX_SPANS]


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in spans)
