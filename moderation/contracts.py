"""Types shared by the pipeline, the rules engine and the classifier.

The pipeline builds a ``CommentFacts`` for one comment revision, asks the
classifier (a ``Scorer``) for a ``ModelOutput``, then asks the rules engine for a
``RulesVerdict``. Neither engine touches the database or Flask: everything they
may look at is in these types. History is fetched *before* evaluation (the
ruleset says which look-ups it needs in ``history_needs``) into a
``HistorySnapshot``, so a database fault can never happen inside an engine and be
mistaken for the engine's own failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal, Protocol

Action = Literal["approve", "review", "reject"]
RuleAction = Literal["approve", "review", "reject", "flag"]

#: The login source of authors whose comments come through Coral's moderation phase: Coral's
#: own moderators decide what we withhold there, so they never become our pending work.
CORAL_SOURCE = "coral"

#: Severity order used to break priority ties (reject > review > approve).
SEVERITY: dict[str, int] = {"flag": 0, "approve": 1, "review": 2, "reject": 3}

LABELS: tuple[str, ...] = (
    "toxicity",
    "severe_toxicity",
    "obscene",
    "threat",
    "insult",
    "identity_attack",
    "spam",
)


@dataclass(frozen=True)
class Span:
    """A stretch of the original text that a rule or the model points at."""

    field: str
    start: int
    end: int
    text: str

    def as_dict(self) -> dict[str, object]:
        """Serialise for the decision record."""
        return {"field": self.field, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class AuthorFacts:
    """What rules may know about the author at decision time."""

    source: str = "native"
    email_verified: bool | None = None
    account_age_days: float | None = None
    trust: int = 0
    approved_count: int = 0
    rejected_count: int = 0
    sanctions: tuple[str, ...] = ()  # active sanction kinds: ban, suspend, premoderate, trust

    @property
    def rejection_rate(self) -> float:
        """Share of decided comments that were rejected (0 with no history)."""
        decided = self.approved_count + self.rejected_count
        return self.rejected_count / decided if decided else 0.0

    @property
    def sanctioned(self) -> bool:
        """True when a restrictive sanction is in force."""
        return any(kind in ("ban", "suspend", "premoderate") for kind in self.sanctions)


class HistoryFacts(Protocol):
    """What rules may ask of stored history (answered from a ``HistorySnapshot``)."""

    def same_body_count(self, within: timedelta) -> int:
        """Other comments with the same normalised body, by anyone, within the window."""
        ...

    def author_comment_count(self, within: timedelta) -> int:
        """Comments by this author within the window, this one included."""
        ...

    def flags_weight(self) -> float:
        """Weighted reader reports on this comment."""
        ...


#: A history look-up a ruleset needs: ``"flags"`` or ``(kind, window seconds)`` with kind
#: ``same_body_within`` or ``author_rate`` (the rules engine's memo keys).
HistoryNeed = str | tuple[str, float]


@dataclass(frozen=True)
class HistorySnapshot:
    """History fetched before evaluation; asking for a look-up not fetched fails loudly."""

    counts: Mapping[HistoryNeed, float] = field(default_factory=dict)

    def same_body_count(self, within: timedelta) -> int:
        """The prefetched count for this window."""
        return int(self.counts[("same_body_within", within.total_seconds())])

    def author_comment_count(self, within: timedelta) -> int:
        """The prefetched count for this window."""
        return int(self.counts[("author_rate", within.total_seconds())])

    def flags_weight(self) -> float:
        """The prefetched weight."""
        return float(self.counts["flags"])


class NoHistory:
    """History for a comment seen in isolation (rule tests, the score command)."""

    def __init__(self, same_body: int = 0, author_rate: int = 1, flags: float = 0.0) -> None:
        self._same_body, self._author_rate, self._flags = same_body, author_rate, flags

    def same_body_count(self, within: timedelta) -> int:
        """Return the fixed count."""
        return self._same_body

    def author_comment_count(self, within: timedelta) -> int:
        """Return the fixed count."""
        return self._author_rate

    def flags_weight(self) -> float:
        """Return the fixed weight."""
        return self._flags


@dataclass(frozen=True)
class CommentFacts:
    """Everything the rules engine may look at for one comment revision."""

    body: str
    links: tuple[str, ...] = ()
    language: str = "und"
    author: AuthorFacts = field(default_factory=AuthorFacts)
    article_section: str | None = None
    article_tags: tuple[str, ...] = ()
    is_reply: bool = False
    revision: int = 1
    scores: Mapping[str, float] = field(default_factory=dict)
    #: Named thresholds of the active model for this comment's language:
    #: ``{"toxicity": {"likely": 0.71, "very_likely": 0.88}, ...}``.
    thresholds: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    history: HistoryFacts = field(default_factory=NoHistory)


@dataclass(frozen=True)
class RuleHit:
    """One rule whose condition matched."""

    rule_id: str
    action: RuleAction
    priority: int
    reason: str | None = None
    matches: tuple[Span, ...] = ()
    article: str | None = None  # the house-rule article, DSA category and description
    category: str | None = None
    description: str | None = None

    def as_dict(self) -> dict[str, object]:
        """Serialise for the decision record (SPEC §3 ``decision.rules``)."""
        found: dict[str, object] = {
            "id": self.rule_id,
            "action": self.action,
            "priority": self.priority,
            "reason": self.reason,
            "matches": [m.as_dict() for m in self.matches],
        }
        # Only when the rule file gives them, so records of older rules keep their shape.
        extra = {"article": self.article, "category": self.category}
        extra["description"] = self.description
        found.update({k: v for k, v in extra.items() if v})
        return found


@dataclass(frozen=True)
class RulesVerdict:
    """The outcome of a ruleset on one comment."""

    action: Action
    reason: str | None
    rule_id: str | None  # the deciding rule, None when ``default`` applied
    hits: tuple[RuleHit, ...] = ()
    labels: tuple[str, ...] = ()  # reasons added by non-deciding ``flag`` rules
    priority: int = 0  # queue priority: the highest priority among all hits


class RulesEngine(Protocol):
    """A loaded, validated ruleset."""

    version: str
    #: The history look-ups its rules may make; the pipeline fetches them first.
    history_needs: frozenset[HistoryNeed]

    def evaluate(self, facts: CommentFacts) -> RulesVerdict:
        """Decide one comment."""
        ...


@dataclass(frozen=True)
class Explanation:
    """A word or n-gram that pushed a label's score up."""

    label: str
    span: Span
    weight: float

    def as_dict(self) -> dict[str, object]:
        """Serialise for the decision record."""
        return {**self.span.as_dict(), "weight": round(self.weight, 4)}


@dataclass(frozen=True)
class ModelOutput:
    """Classifier scores for one text."""

    scores: Mapping[str, float]
    language: str
    explanations: tuple[Explanation, ...] = ()


class Scorer(Protocol):
    """A loaded classifier model."""

    version: str

    def score(self, text: str, language: str | None = None) -> ModelOutput:
        """Score one text; ``language`` is the detected language if known."""
        ...

    def score_many(self, texts: list[str], languages: list[str] | None = None) -> list[ModelOutput]:
        """Score a batch of texts, in order."""
        ...

    def thresholds(self, language: str) -> Mapping[str, Mapping[str, float]]:
        """Named thresholds (``likely``, ``very_likely``) per label for a language."""
        ...
