"""A loaded ruleset and how it decides a comment (SPEC §6 priority semantics)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from moderation.contracts import (
    SEVERITY,
    Action,
    CommentFacts,
    HistoryNeed,
    RuleAction,
    RuleHit,
    RulesVerdict,
    Span,
)
from moderation.rules.conditions import Condition, Context, history_keys
from moderation.rules.matching import TermIndex


@dataclass(frozen=True)
class CompiledRule:
    """One validated rule, ready to evaluate."""

    id: str
    action: RuleAction
    priority: int
    reason: str | None
    condition: Condition
    file: str
    line: int
    description: str = ""
    enabled: bool = True
    article: str | None = None  # house-rule article and DSA category, for statements
    category: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Describe the rule for the admin API."""
        return {
            "id": self.id,
            "action": self.action,
            "priority": self.priority,
            "reason": self.reason,
            "description": self.description,
            "enabled": self.enabled,
            "article": self.article,
            "category": self.category,
            "file": self.file,
            "line": self.line,
        }


@dataclass(frozen=True)
class RuleTest:
    """An example from a rule file's ``tests:`` that must hold."""

    file: str
    line: int
    case: Mapping[str, Any]


@dataclass
class Ruleset:
    """A validated ruleset; implements the ``RulesEngine`` protocol."""

    version: str
    rules: tuple[CompiledRule, ...]
    index: TermIndex
    default: Action = "approve"
    files: tuple[str, ...] = ()
    tests: tuple[RuleTest, ...] = ()
    lists: Mapping[str, int] = field(default_factory=dict)  # list name -> number of items

    def __post_init__(self) -> None:
        self._active = tuple(r for r in self.rules if r.enabled)
        self.history_needs: frozenset[HistoryNeed] = frozenset().union(
            *(history_keys(r.condition) for r in self._active)
        )

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """Every rule id, in load order."""
        return tuple(r.id for r in self.rules)

    def rule(self, rule_id: str) -> CompiledRule | None:
        """The rule with this id, if any."""
        return next((r for r in self.rules if r.id == rule_id), None)

    def evaluate(self, facts: CommentFacts) -> RulesVerdict:
        """Decide one comment: every matching rule is recorded, the strongest decides."""
        ctx = Context(facts, self.index)
        hits = [_hit(rule, ctx) for rule in self._active if rule.condition.test(ctx)]
        return decide(hits, self.default)

    def describe(self) -> dict[str, Any]:
        """Summary for ``GET /v1/rules``."""
        return {
            "version": self.version,
            "default": self.default,
            "files": list(self.files),
            "rules": [r.as_dict() for r in self.rules],
            "lists": dict(self.lists),
            "tests": len(self.tests),
        }


def _hit(rule: CompiledRule, ctx: Context) -> RuleHit:
    body = ctx.facts.body
    spans = sorted(set(rule.condition.spans(ctx)))
    matches = tuple(Span("body", a, b, body[a:b]) for a, b in spans)
    return RuleHit(
        rule.id,
        rule.action,
        rule.priority,
        rule.reason or rule.id,
        matches,
        article=rule.article,
        category=rule.category,
        description=rule.description or None,
    )


def decide(hits: Iterable[RuleHit], default: Action = "approve") -> RulesVerdict:
    """Apply the priority semantics to the hits of one comment."""
    hits = tuple(hits)
    deciding = [h for h in hits if h.action != "flag"]
    labels = tuple(dict.fromkeys(h.reason or h.rule_id for h in hits if h.action == "flag"))
    priority = max((h.priority for h in hits), default=0)
    if not deciding:
        return RulesVerdict(default, None, None, hits, labels, priority)
    # max() keeps the first of equals, so load order breaks exact ties deterministically.
    best = max(deciding, key=lambda h: (h.priority, SEVERITY[h.action]))
    action: Action = best.action  # type: ignore[assignment]
    return RulesVerdict(action, best.reason, best.rule_id, hits, labels, priority)
