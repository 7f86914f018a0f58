"""Where the pipeline finds the active ruleset and classifier model."""

from __future__ import annotations

from moderation.scoring.contracts import RulesEngine, Scorer


def current_rules() -> RulesEngine:
    """The live ruleset of this process (raises ``RulesUnavailable`` if none ever loaded)."""
    from moderation.rules.store import rules_store

    return rules_store().get()


def current_scorer() -> Scorer | None:
    """The promoted classifier model, or None when none is installed (a tampered one raises)."""
    from moderation.classifier.service import current_model

    return current_model()
