"""Operating points from cross-source scores: where the rules' named thresholds sit.

In-domain validation (a random part of every source) says little about a source the model
never saw: there, scores of clean comments run higher. So the cut-offs the rules use
are set on held-out sources' scores (a cross-source file, ``training.crosssource``):

- ``review``, per language, is the score that a share ``q`` of that language's clean
  held-out comments reach (each source weighing the same), the same ``q`` for every
  harm label; ``q`` is the largest for which the pipeline (word rules, then model) holds
  at most ``AIM`` of the clean comments, mean over sources. Spam gets a fixed share.
- ``very_likely`` (the rejections) is raised, where needed, to a score that at most
  ``REJECT_SHARE`` of the clean held-out comments reach.

Inside cross-validation (``research.crossval``) the same choice is nested: the cut-offs
used on a fold come from the other folds' rows only, so the table does not grade cut-offs
on the rows that set them.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np

from moderation.classifier.model import LANGUAGES, POOLED, Thresholds
from moderation.contracts import LABELS
from moderation.training.crosssource import HARM, HELD, SPAM, CrossSource, targets

#: Clean comments held, mean over held-out sources, that the choice aims at (the
#: targets are 0.10 French and 0.08 English; the aim keeps a margin for unseen sources).
AIM = {"fr": 0.085, "en": 0.068, POOLED: 0.068}
SPAM_SHARE = 0.005
REJECT_SHARE = 0.001
REJECT_LABELS = ("threat", "identity_attack", "severe_toxicity")


def top_share_cutoff(values: np.ndarray, weights: np.ndarray, share: float) -> float:
    """The lowest cut-off that a weighted share of at most ``share`` of ``values`` reaches."""
    order = np.argsort(-values, kind="stable")
    ranked = values[order]
    reached = np.cumsum(weights[order]) / weights.sum()
    # A cut-off admits every tied value, so only the last of a run of ties is a cut.
    cut = np.append(ranked[1:] != ranked[:-1], True)
    ok = np.flatnonzero(cut & (reached <= share))
    return float(ranked[ok[-1]]) if len(ok) else float(np.nextafter(ranked[0], np.inf))


def _balanced(sources: np.ndarray) -> np.ndarray:
    _, inverse, counts = np.unique(sources, return_inverse=True, return_counts=True)
    weights: np.ndarray = 1.0 / counts[inverse]
    return weights


def _clean_rows(cs: CrossSource, mask: np.ndarray) -> np.ndarray:
    clean = np.zeros(len(cs.y), dtype=bool)
    clean[mask] = targets(cs.y[mask], False)[1]
    return clean


def review_cutoffs(cs: CrossSource, clean: np.ndarray, q: float) -> dict[str, float]:
    """Per label, the score a share ``q`` of the clean rows reach (spam: ``SPAM_SHARE``)."""
    weights = _balanced(cs.sources[clean])
    cut = {LABELS[j]: top_share_cutoff(cs.model[clean, j], weights, q) for j in HARM}
    spam = top_share_cutoff(cs.model[clean, SPAM], weights, SPAM_SHARE)
    return {**cut, "spam": spam}


def approx_held(cs: CrossSource, rows: np.ndarray, cutoffs: dict[str, float]) -> np.ndarray:
    """Held by the word rules alone, or by any label at or above its cut-off."""
    held = np.isin(cs.rules_only[rows], HELD)
    for label, cut in cutoffs.items():
        held |= cs.model[rows, LABELS.index(label)] >= cut
    return held


def clean_held(cs: CrossSource, mask: np.ndarray, cutoffs: dict[str, float]) -> float:
    """Mean over sources of the share of their clean rows held."""
    clean = _clean_rows(cs, mask)
    shares = []
    for source in np.unique(cs.sources[clean]):
        rows = clean & (cs.sources == source)
        shares.append(approx_held(cs, rows, cutoffs).mean())
    return float(np.mean(shares))


def choose_review(cs: CrossSource, mask: np.ndarray, aim: float) -> dict[str, float]:
    """The cut-offs with the largest share ``q`` that keeps clean held within ``aim``."""
    clean = _clean_rows(cs, mask)
    low, high = 0.0, 0.3
    for _ in range(18):  # bisection on q; clean held grows with q
        q = (low + high) / 2
        if clean_held(cs, mask, review_cutoffs(cs, clean, q)) <= aim:
            low = q
        else:
            high = q
    return review_cutoffs(cs, clean, low)


def _reject_floor(cs: CrossSource, mask: np.ndarray, label: str) -> float:
    clean = _clean_rows(cs, mask)
    weights = _balanced(cs.sources[clean])
    return top_share_cutoff(cs.model[clean, LABELS.index(label)], weights, REJECT_SHARE)


def operating_table(cs: CrossSource, mask: np.ndarray, base: Thresholds) -> Thresholds:
    """``base`` (a model's named thresholds) with ``review`` added and rejections raised."""
    table = copy.deepcopy(base)
    for lang in (*LANGUAGES, POOLED):
        rows = mask if lang == POOLED else mask & (cs.languages == lang)
        if not _clean_rows(cs, rows).any():
            continue  # nothing to set it on: the language keeps the model's thresholds
        own = table.setdefault(lang, {})
        for label, cut in choose_review(cs, rows, AIM[lang]).items():
            own.setdefault(label, dict(table[POOLED].get(label, {})))["review"] = cut
        for label in REJECT_LABELS:
            named = own.get(label, {})
            current = named.get("very_likely")
            if current is not None:  # never reached in-domain: the rule stays off
                named["very_likely"] = max(current, _reject_floor(cs, rows, label))
    return table


def shipped_table(path: Path, base: Thresholds) -> Thresholds:
    """A model's thresholds with operating points from every row of a crossval file."""
    cs = CrossSource.load(path)
    return operating_table(cs, np.ones(len(cs.y), dtype=bool), base)


def nested_tables(cs: CrossSource, bases: list[Thresholds]) -> list[Thresholds]:
    """For each fold, its model's table with operating points from the other folds."""
    return [operating_table(cs, cs.folds != k, base) for k, base in enumerate(bases)]
