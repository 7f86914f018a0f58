"""Compiled conditions and the per-comment evaluation context.

A condition is compiled once at load time into a small tree of objects with
``test(ctx)``; whatever is costly to derive from a comment (folded text, the
term scan, links, history look-ups) is computed lazily once per comment in
``Context`` and shared by every rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from moderation.contracts import CommentFacts
from moderation.rules.matching import (
    Link,
    TermIndex,
    domain_matches,
    email_spans,
    find_links,
    host_of,
    phone_spans,
    regex_spans,
)
from moderation.text.normalize import Normalized, normalize_words

T = TypeVar("T")

_LIGHT = str.maketrans({c: "'" for c in "’‘‛ʼ`´"} | {"\u00a0": " ", "\u202f": " "})
_LIGHT_CHARS = frozenset("’‘‛ʼ`´\u00a0\u202f")

# Relative cost used to order the children of all/any: cheap checks first, history last.
CHEAP, TEXT, HISTORY = 1, 5, 100


class Context:
    """Lazily derived facts about one comment, shared by every rule."""

    __slots__ = ("_cache", "facts", "index")

    def __init__(self, facts: CommentFacts, index: TermIndex) -> None:
        self.facts, self.index = facts, index
        self._cache: dict[Any, Any] = {}

    def _get(self, key: Any, make: Callable[[], T]) -> T:
        try:
            return self._cache[key]  # type: ignore[no-any-return]  # make() stored a T
        except KeyError:
            value = self._cache[key] = make()
            return value

    def words(self) -> Normalized:
        """The body folded to single-spaced words."""
        return self._get("words", lambda: normalize_words(self.facts.body))

    def term_hits(self) -> dict[int, list[tuple[int, int]]]:
        """Whole-word term hits by condition tag (one automaton scan)."""
        return self._get("terms", lambda: self.index.scan(self.words()))

    def light(self) -> str:
        """The body with apostrophes and spaces unified, same length as the original."""
        return self._get("light", self._light)

    def _light(self) -> str:
        body = self.facts.body
        return body if _LIGHT_CHARS.isdisjoint(body) else body.translate(_LIGHT)

    def links(self) -> list[Link]:
        """Links in the body plus those the intake extracted (HTML ``href``)."""
        return self._get("links", self._links)

    def _links(self) -> list[Link]:
        found = find_links(self.facts.body)
        hosts = {link.host for link in found}
        extra = [Link(host_of(url)) for url in self.facts.links if host_of(url) not in hosts]
        return found + extra

    def memo(self, key: Any, make: Callable[[], T]) -> T:
        """Compute ``make()`` once per comment under ``key``."""
        return self._get(key, make)


class Condition:
    """A compiled condition."""

    cost = CHEAP

    def test(self, ctx: Context) -> bool:
        """True when the comment satisfies the condition."""
        raise NotImplementedError

    def spans(self, ctx: Context) -> Iterable[tuple[int, int]]:
        """Body spans that made the condition true (called only when it is)."""
        return ()


class Predicate(Condition):
    """A check on facts that points at no text."""

    def __init__(self, fn: Callable[[CommentFacts], bool], cost: int = CHEAP) -> None:
        self.fn, self.cost = fn, cost

    def test(self, ctx: Context) -> bool:
        """Apply the check to the facts."""
        return self.fn(ctx.facts)


class Memo(Condition):
    """A check whose input is computed once per comment (history look-ups, ratios)."""

    def __init__(
        self, key: Any, make: Callable[[CommentFacts], Any], check: Callable[[Any], bool], cost: int
    ) -> None:
        self.key, self.make, self.check, self.cost = key, make, check, cost

    def test(self, ctx: Context) -> bool:
        """Check the memoised value."""
        return self.check(ctx.memo(self.key, lambda: self.make(ctx.facts)))


class Terms(Condition):
    """Whole-word terms or phrases from the ruleset's term index."""

    cost = TEXT

    def __init__(self, tag: int) -> None:
        self.tag = tag

    def test(self, ctx: Context) -> bool:
        """True when any term of this condition occurs."""
        return self.tag in ctx.term_hits()

    def spans(self, ctx: Context) -> Iterable[tuple[int, int]]:
        """Where the terms occur."""
        return ctx.term_hits().get(self.tag, ())


class Regex(Condition):
    """re2 patterns on the body (case-insensitive, apostrophes unified)."""

    cost = TEXT

    def __init__(self, patterns: Sequence[Any]) -> None:
        self.patterns = tuple(patterns)

    def test(self, ctx: Context) -> bool:
        """True when any pattern matches."""
        text = ctx.light()
        return any(p.search(text) is not None for p in self.patterns)

    def spans(self, ctx: Context) -> Iterable[tuple[int, int]]:
        """Where the patterns match."""
        return [s for p in self.patterns for s in regex_spans(p, ctx.light())]


class TextFinder(Condition):
    """``has_email``/``has_phone``: found (or, with ``expected`` False, absent)."""

    cost = TEXT

    def __init__(self, finder: Callable[[str], list[tuple[int, int]]], expected: bool) -> None:
        self.finder, self.expected = finder, expected

    def _found(self, ctx: Context) -> list[tuple[int, int]]:
        return ctx.memo(self.finder, lambda: self.finder(ctx.facts.body))

    def test(self, ctx: Context) -> bool:
        """Compare presence with the expectation."""
        return bool(self._found(ctx)) == self.expected

    def spans(self, ctx: Context) -> Iterable[tuple[int, int]]:
        """Where they were found."""
        return self._found(ctx) if self.expected else ()


def email_finder(expected: bool) -> TextFinder:
    """``has_email``."""
    return TextFinder(email_spans, expected)


def phone_finder(expected: bool) -> TextFinder:
    """``has_phone``."""
    return TextFinder(phone_spans, expected)


class HasLink(Condition):
    """``has_link``."""

    cost = TEXT

    def __init__(self, expected: bool) -> None:
        self.expected = expected

    def test(self, ctx: Context) -> bool:
        """Compare presence with the expectation."""
        return bool(ctx.links()) == self.expected

    def spans(self, ctx: Context) -> Iterable[tuple[int, int]]:
        """Where the links are."""
        return [(lk.start, lk.end) for lk in ctx.links() if lk.start >= 0] if self.expected else ()


class LinkDomains(Condition):
    """``link_domains``: a link to one of the domains or their subdomains."""

    cost = TEXT

    def __init__(self, domains: Iterable[str]) -> None:
        self.domains = frozenset(d.lower().removeprefix("www.") for d in domains)

    def _hits(self, ctx: Context) -> list[Link]:
        return [lk for lk in ctx.links() if domain_matches(lk.host, self.domains)]

    def test(self, ctx: Context) -> bool:
        """True when a link points at a listed domain."""
        return bool(self._hits(ctx))

    def spans(self, ctx: Context) -> Iterable[tuple[int, int]]:
        """Where those links are."""
        return [(lk.start, lk.end) for lk in self._hits(ctx) if lk.start >= 0]


class All(Condition):
    """Every child holds."""

    def __init__(self, children: Sequence[Condition]) -> None:
        self.children = tuple(sorted(children, key=lambda c: c.cost))
        self.cost = max((c.cost for c in self.children), default=CHEAP)

    def test(self, ctx: Context) -> bool:
        """Short-circuit, cheapest first."""
        return all(c.test(ctx) for c in self.children)

    def spans(self, ctx: Context) -> Iterable[tuple[int, int]]:
        """Spans of every child."""
        return [s for c in self.children for s in c.spans(ctx)]


class Any_(Condition):
    """At least one child holds."""

    def __init__(self, children: Sequence[Condition]) -> None:
        self.children = tuple(sorted(children, key=lambda c: c.cost))
        self.cost = max((c.cost for c in self.children), default=CHEAP)

    def test(self, ctx: Context) -> bool:
        """Short-circuit, cheapest first."""
        return any(c.test(ctx) for c in self.children)

    def spans(self, ctx: Context) -> Iterable[tuple[int, int]]:
        """Spans of every child that holds."""
        return [s for c in self.children if c.test(ctx) for s in c.spans(ctx)]


class Not(Condition):
    """The child does not hold."""

    def __init__(self, child: Condition) -> None:
        self.child, self.cost = child, child.cost

    def test(self, ctx: Context) -> bool:
        """Negate."""
        return not self.child.test(ctx)


def caps_ratio(body: str) -> float:
    """Share of upper-case letters among the letters of ``body`` (0 with no letters)."""
    letters = sum(map(str.isalpha, body))
    return sum(map(str.isupper, body)) / letters if letters else 0.0


def window_key(kind: str, within: timedelta) -> tuple[str, float]:
    """Memo key of a history count, shared by rules asking for the same window."""
    return (kind, within.total_seconds())


def history_keys(condition: Condition) -> frozenset[Any]:
    """Memo keys of every history look-up under ``condition`` (fetched before evaluation)."""
    if isinstance(condition, Memo):
        return frozenset([condition.key]) if condition.cost == HISTORY else frozenset()
    if isinstance(condition, Not):
        return history_keys(condition.child)
    children: Sequence[Condition] = getattr(condition, "children", ())
    return frozenset().union(*(history_keys(c) for c in children))
