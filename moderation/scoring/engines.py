"""Where the pipeline finds the active ruleset and classifier model (built in ``create_app``)."""

from __future__ import annotations

import logging

from flask import Flask

from moderation.classifier.service import model_store
from moderation.contracts import RulesEngine, Scorer
from moderation.rules.store import rules_store
from moderation.text.language import detect_language, other_language

log = logging.getLogger(__name__)

#: A comment to score once at start-up, so every lazy part of scoring is built then.
_SAMPLE = "Merci pour cet article, je ne suis pas d'accord avec le ministre."


def current_rules() -> RulesEngine:
    """The live ruleset of this process (raises ``RulesUnavailable`` if none ever loaded)."""
    return rules_store().get()


def current_scorer() -> Scorer | None:
    """The promoted classifier model, or None when none is installed (a tampered one raises)."""
    return model_store().current()


def warm_engines(app: Flask) -> None:
    """Load the ruleset, the model and language detection now, and score one comment.

    Each costs from a few hundred milliseconds to seconds on first use: paid in a request,
    that is a Coral phase past its timeout, published unmoderated. A failure here is only
    logged: the first request meets it again and answers as it always did.
    """
    with app.app_context():
        try:
            current_rules()
            scorer = current_scorer()
            language = detect_language(_SAMPLE)
            other_language(_SAMPLE)
            if scorer is not None:
                scorer.score(_SAMPLE, language)
        except Exception:  # the stores log their own refusals; a request reports the rest
            log.warning("warm start: scoring is not ready yet", exc_info=True)
