"""Where the pipeline finds the active ruleset and classifier model."""

from __future__ import annotations

from moderation.scoring.contracts import CommentFacts, RulesEngine, RulesVerdict, Scorer


class _DefaultApprove:
    """Placeholder until the rules engine is wired in: approves everything."""

    version = "none"

    def evaluate(self, facts: CommentFacts) -> RulesVerdict:
        """Approve."""
        return RulesVerdict(action="approve", reason=None, rule_id=None)


def current_rules() -> RulesEngine:
    """The live ruleset of this process."""
    return _DefaultApprove()


def current_scorer() -> Scorer | None:
    """The promoted classifier model, or None when none is installed."""
    return None
