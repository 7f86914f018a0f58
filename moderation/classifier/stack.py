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

from moderation.scoring.contracts import LABELS

Progress = Callable[[str], None]
#: Level-1 models: (kind, inverse regularisation). Measured in docs/model.md.
BASE = (("nb", 1.0), ("lr", 4.0))
#: Level-1 source weighting: a source of n rows weighs n (none), 1 (equal) or sqrt(n) in all.
SOURCE_WEIGHTS = {"none": 1.0, "equal": 0.0, "sqrt": 0.5}


@dataclass
class Collapsed:
    """Per-language weights: columns are French labels, then English labels."""

    weights: np.ndarray  # (features, 2 * labels)
    lexicon_weights: np.ndarray  # (lexicon columns, 2 * labels)
    bias: np.ndarray  # (2 * labels,)


def nb_ratio(x: sp.csr_matrix, y: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Naive-Bayes log-count ratio of binarised features (Wang & Manning's NB-SVM)."""
    present = x.copy()
    present.data[:] = 1.0
    pos = alpha + np.asarray(present[y == 1].sum(axis=0)).ravel()
    neg = alpha + np.asarray(present[y == 0].sum(axis=0)).ravel()
    ratio: np.ndarray = np.log((pos / pos.sum()) / (neg / neg.sum())).astype(np.float32)
    return ratio


def source_weights(sources: np.ndarray, scheme: str) -> np.ndarray | None:
    """Row weights (mean 1) giving a source of n rows n**p in all; None for ``none``."""
    if scheme not in SOURCE_WEIGHTS:
        raise ValueError(f"unknown source weighting {scheme!r}: {', '.join(SOURCE_WEIGHTS)}")
    if scheme == "none":
        return None
    _, inverse, counts = np.unique(sources, return_inverse=True, return_counts=True)
    weights: np.ndarray = counts[inverse] ** (SOURCE_WEIGHTS[scheme] - 1.0)
    normalised: np.ndarray = weights * len(weights) / weights.sum()
    return normalised


def source_folds(sources: np.ndarray, groups: list[str], n_folds: int) -> np.ndarray:
    """Out-of-fold folds of whole sources, for level 1 (``TrainConfig.oof``, not shipped).

    Sources that share a group (translations and their originals) share a fold; the
    largest source families go first, each to the fold with the fewest rows so far.
    """
    names = sorted(set(sources))
    family = {name: name for name in names}

    def root(name: str) -> str:
        while family[name] != name:
            name = family[name]
        return name

    first: dict[str, str] = {}
    for source, group in zip(sources, groups, strict=True):
        other = first.setdefault(group, source)
        family[root(source)] = root(other)
    members: dict[str, int] = {}
    for source in sources:
        members[root(source)] = members.get(root(source), 0) + 1
    if len(members) < 2:
        raise ValueError("source folds need at least two independent sources")
    load = [0] * min(n_folds, len(members))
    fold_of = {}
    for name, size in sorted(members.items(), key=lambda item: (-item[1], item[0])):
        fold_of[name] = min(range(len(load)), key=load.__getitem__)
        load[fold_of[name]] += size
    return np.array([fold_of[root(source)] for source in sources])


def oof_folds(
    scheme: str, sources: np.ndarray, groups: list[str], n_folds: int, seed: int
) -> np.ndarray:
    """Which out-of-fold part each training row is in: random ``rows`` or whole ``sources``."""
    if scheme == "sources":
        return source_folds(sources, groups, n_folds)
    if scheme != "rows":
        raise ValueError(f"unknown out-of-fold scheme {scheme!r}: 'rows' or 'sources'")
    return np.random.default_rng(seed).integers(0, n_folds, len(sources))


def fit_base(
    x: sp.csr_matrix, y: np.ndarray, kind: str, c: float, weight: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """One level-1 model as (weights over features, intercept); the NB ratio is unweighted."""
    scale = nb_ratio(x, y) if kind == "nb" else np.ones(x.shape[1], dtype=np.float32)
    fit = LogisticRegression(C=c, max_iter=2000)
    fit.fit(x @ sp.diags(scale), y, sample_weight=weight)
    return (fit.coef_[0] * scale).astype(np.float32), float(fit.intercept_[0])


def _trainable(y: np.ndarray) -> bool:
    known = y[~np.isnan(y)]
    return len(np.unique(known)) == 2


def level1(
    x: sp.csr_matrix,
    y: np.ndarray,
    folds: np.ndarray,
    progress: Progress,
    sources: np.ndarray | None = None,
    weighting: str = "none",
    c_scale: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Full-data weights (features, K), intercepts (K,) and out-of-fold log-odds (rows, K).

    ``weighting`` (``SOURCE_WEIGHTS``) weighs each fit's rows by their ``sources``;
    every C of ``BASE`` is multiplied by ``c_scale`` (below 1: stronger regularisation).
    """
    if c_scale <= 0:
        raise ValueError(f"c_scale must be positive, not {c_scale}")
    if weighting != "none" and sources is None:
        raise ValueError("source weighting needs the rows' sources")
    k = len(BASE) * y.shape[1]
    weights = np.zeros((x.shape[1], k), dtype=np.float32)
    bias, oof = np.zeros(k), np.zeros((x.shape[0], k))
    for j, label in enumerate(LABELS):
        known = ~np.isnan(y[:, j])
        if not _trainable(y[:, j]):
            raise ValueError(f"label {label!r} has no training rows with both classes")
        for b, (kind, base_c) in enumerate(BASE):
            col, c = j * len(BASE) + b, base_c * c_scale
            weight = _weights(sources, known, weighting)
            weights[:, col], bias[col] = fit_base(x[known], y[known, j], kind, c, weight)
            for f in np.unique(folds):
                fit, held = known & (folds != f), folds == f
                if _trainable(y[fit, j]):
                    weight = _weights(sources, fit, weighting)
                    w, b0 = fit_base(x[fit], y[fit, j], kind, c, weight)
                    oof[held, col] = x[held] @ w + b0
                else:
                    # A fold without both classes (whole-source folds of a label one source
                    # annotates) gets the prior, not the full fit, which saw these very rows.
                    oof[held, col] = _prior_logit(y[known, j])
            progress(f"level 1: {label} ({kind}, C={c}) on {known.sum()} rows")
    return weights, bias, oof


def _prior_logit(y: np.ndarray) -> float:
    rate = float(np.clip(y.mean(), 1e-3, 1 - 1e-3))
    return float(np.log(rate / (1 - rate)))


def _weights(sources: np.ndarray | None, rows: np.ndarray, weighting: str) -> np.ndarray | None:
    return None if sources is None else source_weights(sources[rows], weighting)


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
    w1: np.ndarray, b1: np.ndarray, coefs: np.ndarray, intercepts: np.ndarray, n_lex: int
) -> Collapsed:
    """Fold level 1 and level 2 into per-language weights (French, then English)."""
    k = w1.shape[1]
    z, lex = coefs[:k], coefs[k : k + n_lex]
    fr_flag, z_fr, lex_fr = (
        coefs[k + n_lex],
        coefs[k + n_lex + 1 : 2 * k + n_lex + 1],
        coefs[-n_lex:],
    )
    weights, lexicon, bias = [], [], []
    for is_fr in (1.0, 0.0):
        a = z + is_fr * z_fr
        weights.append(w1 @ a.astype(np.float32))
        lexicon.append(lex + is_fr * lex_fr)
        bias.append(b1 @ a + intercepts + is_fr * fr_flag)
    return Collapsed(np.hstack(weights), np.hstack(lexicon), np.concatenate(bias))


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
