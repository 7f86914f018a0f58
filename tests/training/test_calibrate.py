"""Sigmoid calibration is monotone; thresholds reach their precision."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.classifier.calibration import IDENTITY
from moderation.training.calibrate import MIN_HITS, fit_platt, precision_threshold


def _noisy(seed: int, n: int = 400) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(float)
    return y * 2.0 + rng.normal(size=n), y


def test_platt_is_increasing_and_bounded() -> None:
    logits, y = _noisy(0)
    platt = fit_platt(logits, y)
    grid = np.linspace(-20, 20, 401)
    scores = platt(grid)
    assert platt.slope > 0
    assert np.all(np.diff(scores) >= 0)
    assert scores.min() >= 0 and scores.max() <= 1


def test_platt_never_inverts_a_ranking() -> None:
    logits, y = _noisy(1)
    assert fit_platt(-logits, y) == IDENTITY
    assert fit_platt(logits, np.zeros_like(y)) == IDENTITY


def test_platt_is_roughly_calibrated() -> None:
    logits, y = _noisy(2, 4000)
    scores = fit_platt(logits, y)(logits)
    assert abs(scores.mean() - y.mean()) < 0.02


def _precision_at(scores: np.ndarray, y: np.ndarray, threshold: float) -> tuple[float, int]:
    chosen = scores >= threshold
    return float(y[chosen].mean()), int(y[chosen].sum())


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([0.9, 0.97]))
def test_threshold_reaches_precision_with_max_recall(seed: int, target: float) -> None:
    logits, y = _noisy(seed, 300)
    scores = np.round(1 / (1 + np.exp(-logits)), 2)  # rounding creates ties
    threshold = precision_threshold(scores, y, target)
    if threshold is None:
        return
    precision, hits = _precision_at(scores, y, threshold)
    assert precision >= target and hits >= MIN_HITS
    lower = scores[scores < threshold]
    for candidate in np.unique(lower):
        precision, hits = _precision_at(scores, y, candidate)
        assert precision < target or hits < MIN_HITS


def test_threshold_is_none_when_precision_is_never_reached() -> None:
    rng = np.random.default_rng(5)
    scores, y = rng.random(200), (rng.random(200) < 0.2).astype(float)
    assert precision_threshold(scores, y, 0.97) is None
    assert precision_threshold(scores, np.zeros(200), 0.9) is None


def test_threshold_needs_enough_true_positives() -> None:
    scores = np.array([0.9, 0.8, 0.1, 0.05])
    y = np.array([1.0, 1.0, 0.0, 0.0])
    assert precision_threshold(scores, y, 0.9) is None
