"""Turn the ``if:`` tree of a rule into a compiled condition, reporting errors by line."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from datetime import timedelta
from typing import Any

from moderation.contracts import LABELS, CommentFacts
from moderation.durations import parse_duration
from moderation.rules import conditions as c
from moderation.rules.lists import ListDef
from moderation.rules.matching import TermIndex, compile_regex
from moderation.rules.patterns import REPORTED, Near, Pattern, PatternBook, PatternError
from moderation.rules.problems import Reporter, RuleError, join, key_line, node_line
from moderation.rules.schema import GROUP_SCHEMAS, GROUPS, NearSchema, WindowSchema
from moderation.rules.values import Comparison, NamedThreshold, parse_comparison

_RATE = re.compile(r"(.+?)\s*(?:per|/|par)\s*(.+)")


class Compiler:
    """Compiles conditions of one file against the ruleset's lists and term index."""

    def __init__(
        self,
        report: Reporter,
        lists: Mapping[str, ListDef],
        index: TermIndex,
        known_thresholds: Mapping[str, Collection[str]] | None,
        patterns: PatternBook | None = None,
    ) -> None:
        self.report, self.lists, self.index = report, lists, index
        self.known_thresholds = known_thresholds
        self.patterns = patterns or PatternBook({}, lists)

    def condition(self, node: Any, path: str, line: int) -> c.Condition | None:
        """Compile one condition mapping (keys combine with ``all``)."""
        line = node_line(node, line)
        if not isinstance(node, dict) or not node:
            self.report.add(line, path, f"expected a mapping with one of: {', '.join(GROUPS)}")
            return None
        parts, ok = [], True
        for key, value in node.items():
            kline, kpath = key_line(node, key, line), join(path, key)
            part = self._part(str(key), value, kpath, kline)
            ok = ok and part is not None
            parts.extend([part] if part is not None else [])
        if not ok:
            return None
        return parts[0] if len(parts) == 1 else c.All(parts)

    def _part(self, key: str, value: Any, path: str, line: int) -> c.Condition | None:
        if key in ("all", "any"):
            return self._combine(key, value, path, line)
        if key == "not":
            child = self.condition(value, path, line)
            return None if child is None else c.Not(child)
        if key in GROUP_SCHEMAS:
            return self._group(key, value, path, line)
        self.report.add(
            line, path, f"unknown condition {key!r}; expected one of: {', '.join(GROUPS)}"
        )
        return None

    def _combine(self, key: str, value: Any, path: str, line: int) -> c.Condition | None:
        if not isinstance(value, list) or not value:
            self.report.add(line, path, "expected a non-empty list of conditions")
            return None
        children = [
            self.condition(v, join(path, i), key_line(value, i, line)) for i, v in enumerate(value)
        ]
        if any(child is None for child in children):
            return None
        kept = [child for child in children if child is not None]
        return c.All(kept) if key == "all" else c.Any_(kept)

    def _group(self, group: str, node: Any, path: str, line: int) -> c.Condition | None:
        unknown = f"unknown {group} check {{name}}"
        if group == "score":
            unknown = f"unknown label {{name}} (labels: {', '.join(LABELS)})"
        data, ok = self.report.load_all(GROUP_SCHEMAS[group](), node, path, line, unknown)
        if ok and not data:
            self.report.add(line, path, "expected at least one check")
            return None
        build = getattr(self, f"_{group}")
        parts = [
            build(key, value, join(path, key), key_line(node, key, line))
            for key, value in data.items()
        ]
        if not ok or any(part is None for part in parts):
            return None
        return parts[0] if len(parts) == 1 else c.All(parts)

    def expand(
        self, values: tuple[str, ...], path: str, line: int
    ) -> list[tuple[str, str, int]] | None:
        """Replace ``@list`` references by the list's items (with their origin)."""
        out: list[tuple[str, str, int]] = []
        ok = True
        for value in values:
            if not value.startswith("@"):
                out.append((value, self.report.file, line))
            elif value[1:] in self.lists:
                out.extend(self.lists[value[1:]].items)
            else:
                known = ", ".join(sorted(self.lists)) or "none defined"
                self.report.add(line, path, f"unknown list {value!r} (lists: {known})")
                ok = False
        return out if ok else None

    def _strings(self, values: tuple[str, ...], path: str, line: int) -> frozenset[str] | None:
        items = self.expand(values, path, line)
        return None if items is None else frozenset(t.casefold() for t, _, _ in items)

    def _body(self, key: str, value: Any, path: str, line: int) -> c.Condition | None:
        if key in ("words", "phrases"):
            return self._terms(value, path, line)
        if key == "regex":
            return self._regex(value, path, line)
        if key == "pattern":
            found = [self._pattern(v, path, line) for v in value]
            return None if None in found else Pattern(found)
        if key == "near":
            return self._near(value, path, line)
        if key == "link_domains":
            domains = self._strings(value, path, line)
            return None if domains is None else c.LinkDomains(domains)
        if key == "language":
            langs = self._strings(value, path, line)
            return None if langs is None else c.Predicate(lambda f: f.language.casefold() in langs)
        simple: dict[str, Callable[[Any], c.Condition]] = {
            "has_link": c.HasLink,
            "has_email": c.email_finder,
            "has_phone": c.phone_finder,
            "length": lambda cmp: c.Predicate(lambda f: cmp(len(f.body))),
            "caps_ratio": lambda cmp: c.Memo("caps", lambda f: c.caps_ratio(f.body), cmp, c.TEXT),
        }
        return simple[key](value)

    def _terms(self, values: tuple[str, ...], path: str, line: int) -> c.Condition | None:
        items = self.expand(values, path, line)
        if items is None:
            return None
        tag, ok = self.index.new_tag(), True
        for term, file, term_line in items:
            if not self.index.add(term, tag):
                self.report.errors.append(
                    RuleError(file, term_line, path, f"term {term!r} has no letters or digits")
                )
                ok = False
        return c.Terms(tag) if ok else None

    def _regex(self, values: tuple[str, ...], path: str, line: int) -> c.Condition | None:
        items = self.expand(values, path, line)
        if items is None:
            return None
        patterns, ok = [], True
        for pattern, file, pattern_line in items:
            try:
                patterns.append(compile_regex(pattern))
            except ValueError as exc:
                self.report.errors.append(RuleError(file, pattern_line, path, str(exc)))
                ok = False
        return c.Regex(patterns) if ok else None

    def _pattern(self, source: str, path: str, line: int) -> Any:
        try:
            return self.patterns.compile(source)
        except PatternError as exc:
            if exc.where is None:
                self.report.add(line, path, str(exc))
            elif exc.where != REPORTED:
                self.report.errors.append(RuleError(*exc.where, str(exc)))
            return None

    def _near(self, node: Any, path: str, line: int) -> c.Condition | None:
        data = self.report.load(NearSchema(), node, path, line)
        if data is None:
            return None
        terms_line = key_line(node, "terms", line)
        first, second = (self._pattern(t, join(path, "terms"), terms_line) for t in data["terms"])
        if first is None or second is None:
            return None
        return Near(first, second, data["within"], data["ordered"])

    def _author(self, key: str, value: Any, path: str, line: int) -> c.Condition | None:
        if key in ("source", "sanction"):
            names = self._strings(value, path, line)
            if names is None:
                return None
            if key == "source":
                return c.Predicate(lambda f: f.author.source.casefold() in names)
            return c.Predicate(lambda f: any(k in names for k in f.author.sanctions))
        if key in ("email_verified", "sanctioned"):
            return c.Predicate(lambda f: getattr(f.author, key) is value)
        return c.Predicate(_author_comparison(key, value))

    def _score(
        self, label: str, value: Comparison | NamedThreshold, path: str, line: int
    ) -> c.Condition | None:
        if isinstance(value, Comparison):
            return c.Predicate(lambda f: value(f.scores.get(label, 0.0)))
        if self.known_thresholds is None:
            # No model: no scores either, so the condition never fires, as a number would not;
            # the word rules must still run. The name is checked once a model is loaded.
            return c.Predicate(lambda f: _named_threshold(f, label, value.name))
        available = self.known_thresholds.get(label, ())
        if value.name not in available:
            offered = ", ".join(sorted(available)) or "none"
            self.report.add(
                line,
                path,
                f"the model has no {value.name!r} threshold for {label!r} (has: {offered})",
            )
            return None
        return c.Predicate(lambda f: _named_threshold(f, label, value.name))

    def _article(self, key: str, value: Any, path: str, line: int) -> c.Condition | None:
        names = self._strings(value, path, line)
        if names is None:
            return None
        if key == "section":
            return c.Predicate(lambda f: (f.article_section or "").casefold() in names)
        return c.Predicate(lambda f: any(t.casefold() in names for t in f.article_tags))

    def _comment(self, key: str, value: Any, path: str, line: int) -> c.Condition | None:
        if key == "is_reply":
            return c.Predicate(lambda f: f.is_reply is value)
        return c.Predicate(lambda f: value(f.revision))

    def _history(self, key: str, value: Any, path: str, line: int) -> c.Condition | None:
        if key == "flags":
            return c.Memo("flags", lambda f: f.history.flags_weight(), value, c.HISTORY)
        window = self._window(key, value, path, line)
        if window is None:
            return None
        within, count = window
        if key == "same_body_within":
            fetch: Callable[[CommentFacts], int] = lambda f: f.history.same_body_count(within)  # noqa: E731
        else:
            fetch = lambda f: f.history.author_comment_count(within)  # noqa: E731
        return c.Memo(c.window_key(key, within), fetch, count, c.HISTORY)

    def _window(
        self, key: str, value: Any, path: str, line: int
    ) -> tuple[timedelta, Comparison] | None:
        if isinstance(value, dict):
            data = self.report.load(WindowSchema(), value, path, line)
            return None if data is None else (data["within"], data["count"])
        try:
            if key == "same_body_within":
                return parse_duration(value), parse_comparison(">= 1")
            m = _RATE.fullmatch(str(value).strip())
            if m is None:
                raise ValueError(f'malformed rate {value!r}: expected e.g. "> 5 per 10 minutes"')
            return parse_duration(m.group(2)), parse_comparison(m.group(1))
        except ValueError as exc:
            self.report.add(line, path, str(exc))
            return None


def _author_comparison(key: str, cmp: Comparison) -> Callable[[CommentFacts], bool]:
    return lambda f: cmp(getattr(f.author, key))


def _named_threshold(facts: CommentFacts, label: str, name: str) -> bool:
    # No threshold for this comment's language: the model cannot vouch, the rule does not fire.
    threshold = facts.thresholds.get(label, {}).get(name)
    return threshold is not None and facts.scores.get(label, 0.0) >= threshold
