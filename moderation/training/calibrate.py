"""Fitting the calibration and choosing thresholds from measured precision."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

from moderation.classifier.calibration import IDENTITY, Platt

#: Named thresholds and the validation precision each must reach.
PRECISION_TARGETS = {"likely": 0.9, "very_likely": 0.97}
#: A threshold must be backed by at least this many true positives above it.
MIN_HITS = 5
#: Fewer calibration positives or negatives than this for a language: use the pooled fit.
MIN_CLASS = 15


def fit_platt(logits: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> Platt:
    """Fit a sigmoid on held-out logits; ``IDENTITY`` when the data cannot support one."""
    if len(np.unique(y)) < 2:
        return IDENTITY
    fit = LogisticRegression(C=1e4, max_iter=1000)
    fit.fit(np.asarray(logits).reshape(-1, 1), y, sample_weight=weights)
    slope = float(fit.coef_[0, 0])
    # A non-positive slope would invert the ranking: the model is useless there, not reversed.
    return Platt(slope, float(fit.intercept_[0])) if slope > 1e-6 else IDENTITY


def enough_for_calibration(y: np.ndarray) -> bool:
    """Whether a language has enough held-out positives and negatives for its own fit."""
    positives = int(np.sum(y == 1))
    return positives >= MIN_CLASS and len(y) - positives >= MIN_CLASS


def precision_threshold(scores: np.ndarray, y: np.ndarray, target: float) -> float | None:
    """Lowest score whose 'score >= threshold' set reaches ``target`` precision (max recall).

    None when no threshold reaches it with at least ``MIN_HITS`` true positives.
    """
    order = np.argsort(-scores, kind="stable")
    ranked, hits = scores[order], np.cumsum(y[order] == 1)
    precision = hits / np.arange(1, len(ranked) + 1)
    # A threshold admits every tied score, so only the last of a run of ties is a cut.
    cut = np.append(ranked[1:] != ranked[:-1], True)
    ok = np.flatnonzero(cut & (precision >= target) & (hits >= MIN_HITS))
    return float(ranked[ok[-1]]) if len(ok) else None


def named_thresholds(scores: np.ndarray, y: np.ndarray) -> dict[str, float | None]:
    """``{"likely": t, "very_likely": t}`` for one label on validation rows."""
    return {name: precision_threshold(scores, y, p) for name, p in PRECISION_TARGETS.items()}
