"""Stacked linear models: two logistic regressions per label, combined per language.

Level 1 fits, for every label, an NB-weighted logistic regression (features scaled by
their naive-Bayes log-count ratio) and a plain one, each only on rows that annotate the
label. Level 2 fits, per label, a logistic regression on the out-of-fold level-1 log-odds
of *all* labels plus lexicon hits, with French-specific copies: a label learnt from few
rows borrows from labels learnt from many. Everything is linear, so ``collapse`` folds it
into one weight matrix per language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from moderation.contracts import LABELS

Progress = Callable[[str], None]
#: Level-1 models: (kind, inverse regularisation). Measured in docs/model.md.
BASE = (("nb", 1.0), ("lr", 4.0))
#: Level 1 on encoder vectors: one plain logistic regression per label, this C.
DENSE_C = 1.0


@dataclass
class Collapsed:
    """Per-language weights: columns are French labels, then English labels."""

    weights: np.ndarray  # (features, 2 * labels)
    lexicon_weights: np.ndarray  # (lexicon columns, 2 * labels)
    bias: np.ndarray  # (2 * labels,)
    dense_weights: np.ndarray | None = None  # (encoder dimensions, 2 * labels)


def nb_ratio(x: sp.csr_matrix, y: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Naive-Bayes log-count ratio of binarised features (Wang & Manning's NB-SVM)."""
    present = x.copy()
    present.data[:] = 1.0
    pos = alpha + np.asarray(present[y == 1].sum(axis=0)).ravel()
    neg = alpha + np.asarray(present[y == 0].sum(axis=0)).ravel()
    ratio: np.ndarray = np.log((pos / pos.sum()) / (neg / neg.sum())).astype(np.float32)
    return ratio


def row_folds(n_rows: int, n_folds: int, seed: int) -> np.ndarray:
    """Which out-of-fold part each training row is in, at random."""
    return np.random.default_rng(seed).integers(0, n_folds, n_rows)


def fit_base(x: sp.csr_matrix, y: np.ndarray, kind: str, c: float) -> tuple[np.ndarray, float]:
    """One level-1 model as (weights over features, intercept)."""
    scale = nb_ratio(x, y) if kind == "nb" else np.ones(x.shape[1], dtype=np.float32)
    fit = LogisticRegression(C=c, max_iter=2000)
    fit.fit(x @ sp.diags(scale), y)
    return (fit.coef_[0] * scale).astype(np.float32), float(fit.intercept_[0])


def _trainable(y: np.ndarray) -> bool:
    known = y[~np.isnan(y)]
    return len(np.unique(known)) == 2


def level1(
    x: sp.csr_matrix, y: np.ndarray, folds: np.ndarray, progress: Progress
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Full-data weights (features, K), intercepts (K,) and out-of-fold log-odds (rows, K)."""
    k = len(BASE) * y.shape[1]
    weights = np.zeros((x.shape[1], k), dtype=np.float32)
    bias, oof = np.zeros(k), np.zeros((x.shape[0], k))
    for j, label in enumerate(LABELS):
        known = ~np.isnan(y[:, j])
        if not _trainable(y[:, j]):
            raise ValueError(f"label {label!r} has no training rows with both classes")
        for b, (kind, c) in enumerate(BASE):
            col = j * len(BASE) + b
            weights[:, col], bias[col] = fit_base(x[known], y[known, j], kind, c)
            for f in np.unique(folds):
                fit, held = known & (folds != f), folds == f
                if _trainable(y[fit, j]):
                    w, b0 = fit_base(x[fit], y[fit, j], kind, c)
                    oof[held, col] = x[held] @ w + b0
                else:
                    # A fold without both classes (a label few rows annotate) gets the
                    # prior, not the full fit, which saw these very rows.
                    oof[held, col] = _prior_logit(y[known, j])
            progress(f"level 1: {label} ({kind}, C={c}) on {known.sum()} rows")
    return weights, bias, oof


def level1_dense(
    vectors: np.ndarray, y: np.ndarray, folds: np.ndarray, progress: Progress, c: float = DENSE_C
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``level1`` on encoder vectors: one plain regression per label, (dim, labels) weights."""
    weights = np.zeros((vectors.shape[1], y.shape[1]), dtype=np.float32)
    bias, oof = np.zeros(y.shape[1]), np.zeros((vectors.shape[0], y.shape[1]))
    for j, label in enumerate(LABELS):
        known = ~np.isnan(y[:, j])
        weights[:, j], bias[j] = _fit_dense(vectors[known], y[known, j], c)
        for f in np.unique(folds):
            fit, held = known & (folds != f), folds == f
            if _trainable(y[fit, j]):
                w, b0 = _fit_dense(vectors[fit], y[fit, j], c)
                oof[held, j] = vectors[held] @ w + b0
            else:
                oof[held, j] = _prior_logit(y[known, j])
        progress(f"level 1: {label} (encoder, C={c}) on {known.sum()} rows")
    return weights, bias, oof


def _fit_dense(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    fit = LogisticRegression(C=c, max_iter=2000).fit(x, y)
    return fit.coef_[0].astype(np.float32), float(fit.intercept_[0])


def _prior_logit(y: np.ndarray) -> float:
    rate = float(np.clip(y.mean(), 1e-3, 1 - 1e-3))
    return float(np.log(rate / (1 - rate)))


def stack_features(z: np.ndarray, lexicon: np.ndarray, is_fr: np.ndarray) -> np.ndarray:
    """Level-2 inputs: level-1 log-odds, lexicon hits, and their French-specific copies."""
    fr = is_fr.reshape(-1, 1)
    return np.hstack([z, lexicon, fr, z * fr, lexicon * fr])


def level2(features: np.ndarray, y: np.ndarray, c: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Per-label combiner coefficients (inputs, labels) and intercepts (labels,)."""
    coefs, intercepts = np.zeros((features.shape[1], y.shape[1])), np.zeros(y.shape[1])
    for j in range(y.shape[1]):
        known = ~np.isnan(y[:, j])
        fit = LogisticRegression(C=c, max_iter=5000).fit(features[known], y[known, j])
        coefs[:, j], intercepts[j] = fit.coef_[0], fit.intercept_[0]
    return coefs, intercepts


def collapse(
    w1: np.ndarray,
    b1: np.ndarray,
    coefs: np.ndarray,
    intercepts: np.ndarray,
    n_lex: int,
    dense: np.ndarray | None = None,
) -> Collapsed:
    """Fold level 1 and level 2 into per-language weights (French, then English).

    ``dense`` holds the encoder models' weights, whose intercepts follow ``w1``'s in ``b1``.
    """
    k, n_sparse = len(b1), w1.shape[1]
    z, lex = coefs[:k], coefs[k : k + n_lex]
    fr_flag, z_fr, lex_fr = (
        coefs[k + n_lex],
        coefs[k + n_lex + 1 : 2 * k + n_lex + 1],
        coefs[-n_lex:],
    )
    weights, lexicon, bias, vectors = [], [], [], []
    for is_fr in (1.0, 0.0):
        a = z + is_fr * z_fr
        weights.append(w1 @ a[:n_sparse].astype(np.float32))
        lexicon.append(lex + is_fr * lex_fr)
        bias.append(b1 @ a + intercepts + is_fr * fr_flag)
        if dense is not None:
            vectors.append(dense @ a[n_sparse:])
    merged = Collapsed(np.hstack(weights), np.hstack(lexicon), np.concatenate(bias))
    if dense is not None:
        merged.dense_weights = np.hstack(vectors)
    return merged


def prune(weights: np.ndarray, keep: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Keep the ``keep`` feature rows with the largest weight; others map to a zero row.

    Returns (feature -> row index, compact weights with a final zero row).
    """
    n = weights.shape[0]
    if keep is None or keep >= n:
        kept = np.arange(n)
    else:
        strength = np.abs(weights).max(axis=1)
        kept = np.sort(np.argsort(-strength, kind="stable")[:keep])
    rows = np.full(n, len(kept), dtype=np.int64)
    rows[kept] = np.arange(len(kept))
    compact = np.vstack([weights[kept], np.zeros((1, weights.shape[1]), weights.dtype)])
    return rows, compact
