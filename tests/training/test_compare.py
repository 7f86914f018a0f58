"""Comparing two models per source: metrics side by side and flips at ``likely``."""

from __future__ import annotations

import copy

import numpy as np

from moderation.classifier.model import LinearModel
from moderation.contracts import LABELS
from moderation.training.compare import compare, table
from moderation.training.corpora import Corpus


def test_a_model_against_itself_changes_nothing(model: LinearModel, corpus: Corpus) -> None:
    found = compare(model, model, corpus, left_out=0, rebuilt=True)
    overall = found.rows["all"]
    assert (overall["flips"], overall["up"], overall["down"]) == (0, 0, 0)
    assert overall["model"] == overall["baseline"]
    assert set(found.rows) == {"all", *set(corpus.sources.tolist())}
    assert "full_fr" in table(found)


def test_a_lower_threshold_flips_exactly_the_rows_between(
    model: LinearModel, corpus: Corpus
) -> None:
    lowered = copy.deepcopy(model)
    j = LABELS.index("toxicity")
    scores = model.calibrate(
        model.logits(corpus.texts, list(corpus.languages)), list(corpus.languages)
    )
    between = np.zeros(len(corpus), dtype=bool)
    for lang in ("fr", "en"):
        rows = corpus.languages == lang
        limits = model.thresholds(lang)
        t = limits["toxicity"]["likely"]
        lowered.threshold_table.setdefault(lang, {})["toxicity"] = {"likely": t - 0.1}
        between |= rows & (scores[:, j] >= t - 0.1) & (scores[:, j] < t)
    found = compare(lowered, model, corpus, left_out=0, rebuilt=True)
    assert between.sum() > 0
    assert found.rows["all"]["up"] == between.sum()
    assert found.rows["all"]["down"] == 0 and found.rows["all"]["flips"] == between.sum()
