"""Where the pipeline finds the active ruleset and classifier model (built in ``create_app``)."""

from __future__ import annotations

from moderation.classifier.service import model_store
from moderation.contracts import RulesEngine, Scorer
from moderation.rules.store import rules_store


def current_rules() -> RulesEngine:
    """The live ruleset of this process (raises ``RulesUnavailable`` if none ever loaded)."""
    return rules_store().get()


def current_scorer() -> Scorer | None:
    """The promoted classifier model, or None when none is installed (a tampered one raises)."""
    return model_store().current()
