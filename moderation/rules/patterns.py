"""Named patterns and proximity: re2 on the folded words that ``words`` matches.

A pattern is an re2 expression run on the comment folded to single-spaced words
(lower case, no accents, no punctuation, leetspeak and spaced-out letters read),
the text ``words`` and ``phrases`` see. Its literal letters are folded the same
way (``déteste`` reads ``deteste``, ``j'ai`` reads ``j ai``), it matches whole
words, and ``@name`` inside it stands for a named pattern or for a list (its
terms folded, as whole words). ``near`` finds two patterns a few words apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from moderation.rules.conditions import TEXT, Condition, Context
from moderation.rules.lists import ListDef
from moderation.rules.matching import compile_regex, fold_term, regex_spans
from moderation.rules.problems import Reporter, RuleError, join, key_line
from moderation.text.normalize import fold_chars

_REF = re.compile(r"@(\w+)")
_NAME = re.compile(r"\w+")
Span = tuple[int, int]
# Where a pattern error is already reported: its uses fail without a message of their own.
REPORTED = ("", 0, "")


@dataclass(frozen=True)
class PatternDef:
    """A named pattern as written: its alternatives with the file and line of each."""

    name: str
    items: tuple[tuple[str, str, int], ...]
    origin: str  # "file:line" of the name, for "already defined" errors


class PatternError(ValueError):
    """A pattern that cannot be expanded or compiled; ``where`` is the faulty named item."""

    def __init__(self, message: str, where: tuple[str, int, str] | None = None) -> None:
        super().__init__(message)
        self.where = where


def fold_pattern(source: str) -> str:
    """Fold the literal letters of a pattern as comments are folded (ASCII syntax kept)."""
    folded = "".join(ch if ch.isascii() else fold_chars(ch) for ch in source)
    return folded.replace("'", " ")


def typo_variants(key: str) -> set[str]:
    """A folded term misspelt once: a letter dropped (words of 6+ letters), two neighbours
    swapped (4+ letters), the first letter kept; or two of its words joined."""
    words = key.split(" ")
    out = {
        key.replace(" ".join(words[i : i + 2]), "".join(words[i : i + 2]), 1)
        for i in range(len(words) - 1)
    }
    for i, word in enumerate(words):
        for variant in _misspellings(word):
            out.add(" ".join((*words[:i], variant, *words[i + 1 :])))
    out.discard(key)
    return out


def _misspellings(word: str) -> set[str]:
    # The first letter is kept: dropping it makes too many real words ("crever", "rever").
    # Dropping a letter of a short word often makes another word ("drown", "down"): 6+ only.
    dropped = {word[:i] + word[i + 1 :] for i in range(1, len(word))} if len(word) >= 6 else set()
    swapped = {
        word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        for i in range(1, len(word) - 1)
        if len(word) >= 4 and word[i] != word[i + 1]
    }
    return dropped | swapped


def list_alternation(terms: Iterable[str], typos: bool = False, words: Iterable[str] = ()) -> str:
    """An re2 alternation of list terms, folded, longest first."""
    keys: set[str] = set()
    for term in terms:
        key = fold_term(term)
        if key:
            # No squeezed key ("shoot" -> "shot"): unlike ``words`` a pattern cannot check
            # that the letters were emphasised; a list with typos reads "conard" anyway.
            keys.add(key)
            keys.update(typo_variants(key) if typos else ())
    keys -= {fold_term(word) for word in words} - {fold_term(term) for term in terms}
    if not keys:
        return r"[^\s\S]"  # an empty list matches nothing
    alternatives = sorted(keys, key=lambda k: (-len(k), k))
    # No word boundary of its own: the pattern around it gives one (a space, or the ends of
    # the whole match), and "i ?@hate_verbs" can then read "ihate" written as one word.
    return "|".join(re.escape(k) for k in alternatives)


class PatternBook:
    """The named patterns of a ruleset, expanded on demand against its lists."""

    def __init__(self, defs: Mapping[str, PatternDef], lists: Mapping[str, ListDef]) -> None:
        self.defs, self.lists = defs, lists
        self._expanded: dict[str, str] = {}
        self._compiled: dict[str, Any] = {}

    def expand(self, source: str, trail: tuple[str, ...] = ()) -> str:
        """``source`` folded, with every ``@name`` replaced; ``PatternError`` if it cannot be."""

        def replace(m: re.Match[str]) -> str:
            return "(?:" + self.named(m.group(1), trail) + ")"

        return _REF.sub(replace, fold_pattern(source))

    def named(self, name: str, trail: tuple[str, ...] = ()) -> str:
        """The expanded source of pattern or list ``name``; ``PatternError`` if broken."""
        if name in trail:
            raise PatternError(f"pattern {name!r} refers to itself ({' -> '.join((*trail, name))})")
        if name not in self._expanded:
            if name in self.defs and not self.defs[name].items:
                raise PatternError("broken", REPORTED)
            if name in self.defs:
                items = self.defs[name].items
                parts = [self._item(name, src, where, (*trail, name)) for src, *where in items]
                self._expanded[name] = "|".join(f"(?:{p})" for p in parts)
            elif name in self.lists:
                found = self.lists[name]
                self._expanded[name] = list_alternation(
                    [term for term, _, _ in found.items], bool(found.typos), self._words(found)
                )
            else:
                known = ", ".join(sorted({*self.defs, *self.lists})) or "none defined"
                raise PatternError(f"unknown pattern or list '@{name}' (known: {known})")
        return self._expanded[name]

    def _words(self, found: ListDef) -> list[str]:
        # Real words are not typos: "@list" names the words a misspelling must not be.
        if not isinstance(found.typos, str):
            return []
        words = self.lists.get(found.typos[1:])
        if words is None:
            raise PatternError(f"typos: unknown list {found.typos!r}")
        return [term for term, _, _ in words.items]

    def _item(self, name: str, source: str, where: list[Any], trail: tuple[str, ...]) -> str:
        # Errors are pinned to the named item where they are written, not to each use.
        at = (str(where[0]), int(where[1]), f"patterns.{name}")
        try:
            expanded = self.expand(source, trail)
            # Its own syntax, references stubbed: they are checked where they are written.
            compile_regex(_REF.sub("(?:x)", fold_pattern(source)), shown=source)
        except PatternError as exc:
            raise exc if exc.where else PatternError(str(exc), at) from None
        except ValueError as exc:
            raise PatternError(str(exc), at) from None
        return expanded

    def compile(self, source: str) -> Any:
        """The compiled whole-word re2 pattern for ``source``; ``PatternError`` if invalid."""
        expanded = self.expand(source)
        if expanded not in self._compiled:
            try:
                self._compiled[expanded] = compile_regex(_whole_words(expanded), shown=source)
            except ValueError as exc:
                raise PatternError(str(exc)) from None
        return self._compiled[expanded]


def read_patterns(report: Reporter, node: Any, defs: dict[str, PatternDef]) -> None:
    """Record the ``patterns:`` of one file; a name may be defined once in the ruleset."""
    for name, spec in node.items():
        line, path = key_line(node, name, 1), join("patterns", name)
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            continue  # the schema reported it
        if name in defs:
            report.add(line, path, f"pattern {name!r} is already defined in {defs[name].origin}")
            continue
        items = [spec] if isinstance(spec, str) else spec
        ok = (
            isinstance(items, list) and bool(items) and all(isinstance(v, str) and v for v in items)
        )
        if not ok:
            report.add(line, path, "expected a pattern or a non-empty list of patterns")
        kept = (
            [(v, report.file, key_line(spec, i, line)) for i, v in enumerate(items)] if ok else []
        )
        defs[name] = PatternDef(name, tuple(kept), f"{report.file}:{line}")


def check_patterns(book: PatternBook, lists: Mapping[str, str], errors: list[RuleError]) -> None:
    """Expand every named pattern once, reporting each problem where it is written."""
    for name, pattern in book.defs.items():
        file, line = pattern.origin.rsplit(":", 1)
        if name in lists:
            message = f"{name!r} is already the name of a list ({lists[name]})"
            errors.append(RuleError(file, int(line), f"patterns.{name}", message))
            continue
        try:
            book.named(name)
        except PatternError as exc:
            if exc.where and exc.where != REPORTED:
                errors.append(RuleError(*exc.where, str(exc)))


def _whole_words(expanded: str) -> str:
    # Word boundaries, or the ends of the text (a pattern may start with "^ ?").
    return rf"(?:^|\b)(?:{expanded})(?:\b|$)"


class Pattern(Condition):
    """``pattern``: any of the patterns matches the folded words."""

    cost = TEXT

    def __init__(self, patterns: Iterable[Any]) -> None:
        self.patterns = tuple(patterns)

    def test(self, ctx: Context) -> bool:
        """True when a pattern matches."""
        return any(found(ctx, p) for p in self.patterns)

    def spans(self, ctx: Context) -> Iterable[Span]:
        """Where the patterns match, in the text as written."""
        words = ctx.words()
        return [words.span(a, b) for p in self.patterns for a, b in found(ctx, p)]


class Near(Condition):
    """``near``: two patterns at most ``within`` words apart (in that order if ``ordered``)."""

    cost = TEXT

    def __init__(self, first: Any, second: Any, within: int, ordered: bool) -> None:
        self.first, self.second, self.within, self.ordered = first, second, within, ordered

    def _pairs(self, ctx: Context) -> list[tuple[Span, Span]]:
        firsts, seconds = found(ctx, self.first), found(ctx, self.second)
        if not firsts or not seconds:
            return []
        text = ctx.words().text
        return [(a, b) for a in firsts for b in seconds if self._close(text, a, b)]

    def _close(self, text: str, a: Span, b: Span) -> bool:
        if a[1] <= b[0]:
            return text.count(" ", a[1], b[0]) - 1 <= self.within
        if b[1] <= a[0]:
            return not self.ordered and text.count(" ", b[1], a[0]) - 1 <= self.within
        return False  # overlapping matches are one phrase, not two things near each other

    def test(self, ctx: Context) -> bool:
        """True when the two patterns occur close enough."""
        return bool(self._pairs(ctx))

    def spans(self, ctx: Context) -> Iterable[Span]:
        """Both ends of every close pair, in the text as written."""
        words = ctx.words()
        return [words.span(*s) for pair in self._pairs(ctx) for s in pair]


def found(ctx: Context, pattern: Any) -> list[Span]:
    """Folded spans of ``pattern`` in the comment, computed once per comment."""
    return ctx.memo(("pattern", pattern.pattern), lambda: regex_spans(pattern, ctx.words().text))
