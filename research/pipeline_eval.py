"""The shipped rules on held-out corpus rows, through ``rules decide``'s code, nothing stored.

The scores are the cross-source fold models' (cached), handed to the pipeline by a
scorer that replays them. Two corpus artifacts are neutralised, so the figures measure
the text and not how the corpora were collected:
- the link placeholders (``@url``, ``LINK``), which the loader turns into a link for the
  model, and Twitter's own ``t.co`` wrappers (every link in a tweet gets one) are
  removed: a comment on a site would carry its real link or none, and these otherwise
  trip the shortener rule on a quarter of Davidson's clean tweets;
- every row is posted by a regular author (verified, a year old, 10 approved comments),
  since the corpora have no authors and a newcomer's rules would judge the account.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from moderation.classifier.model import Thresholds, normalize_language
from moderation.contracts import LABELS, ModelOutput, RulesEngine
from moderation.scoring.decide import decide_case
from moderation.training.corpora import LINK_STANDIN
from moderation.training.crosssource import ACTIONS

_TWITTER_LINK = re.compile(r"https?://t\.co/\S*")
REGULAR_AUTHOR = {"email_verified": True, "account_age_days": 365, "approved_count": 10}


class ReplayScorer:
    """A ``Scorer`` that returns preset scores and thresholds (no explanations)."""

    version = "crossval"

    def __init__(self, thresholds: Thresholds) -> None:
        self.table = thresholds
        self.scores: Mapping[str, float] = {}

    def score(self, text: str, language: str | None = None) -> ModelOutput:
        """The preset scores of the row being decided."""
        return ModelOutput(scores=self.scores, language=normalize_language(language))

    def score_many(self, texts: list[str], languages: list[str] | None = None) -> list[ModelOutput]:
        """Not used by the pipeline's single-comment path."""
        return [self.score(text) for text in texts]

    def thresholds(self, language: str) -> Mapping[str, Mapping[str, float]]:
        """Named thresholds as the fold model (or an operating-point table) gives them."""
        own = self.table.get(normalize_language(language), {})
        pooled = self.table.get("pooled", {})
        out: dict[str, dict[str, float]] = {}
        for label in LABELS:
            named = own.get(label, pooled.get(label, {}))
            out[label] = {name: t for name, t in named.items() if t is not None}
        return out


def neutral_body(text: str) -> str:
    """The text without the corpora's link placeholders and Twitter's link wrappers."""
    return " ".join(_TWITTER_LINK.sub(" ", text.replace(LINK_STANDIN, " ")).split())


def decide_rows(
    texts: Sequence[str],
    languages: Sequence[str],
    scores: np.ndarray,
    thresholds: Thresholds,
    ruleset: RulesEngine,
) -> np.ndarray:
    """The pipeline's action per row, as an index into ``ACTIONS``."""
    scorer = ReplayScorer(thresholds)
    actions = np.zeros(len(texts), dtype=np.int8)
    for i, (text, language) in enumerate(zip(texts, languages, strict=True)):
        scorer.scores = dict(zip(LABELS, (float(s) for s in scores[i]), strict=True))
        case: dict[str, Any] = {"id": i, "body": neutral_body(text), "language": language}
        case["author"] = REGULAR_AUTHOR
        line = decide_case(case, ruleset, lambda: scorer)
        actions[i] = ACTIONS.index(str(line["action"]))
    return actions


def known_names(thresholds: Thresholds) -> dict[str, set[str]]:
    """Label -> threshold names a table offers, for compiling the rules against it."""
    names: dict[str, set[str]] = {label: set() for label in LABELS}
    for table in thresholds.values():
        for label, named in table.items():
            names.setdefault(label, set()).update(named)  # as ModelStore.named_thresholds
    return names
