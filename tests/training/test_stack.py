"""Level 1 of the stack: random out-of-fold parts, and a prior where a part cannot fit."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from moderation.contracts import LABELS
from moderation.training import stack


def test_row_folds_are_the_shipped_random_ones() -> None:
    expected = np.random.default_rng(42).integers(0, 4, 50)
    np.testing.assert_array_equal(stack.row_folds(50, 4, 42), expected)


def test_a_fold_without_both_classes_gives_the_prior_not_the_full_fit() -> None:
    rng = np.random.default_rng(0)
    x = sp.csr_matrix((rng.random((80, 5)) < 0.4).astype(float))
    y = np.column_stack([(x[:, 0].toarray()[:, 0] > 0).astype(float)] * len(LABELS))
    y[:40, 0] = np.nan  # label 0 is annotated by the second half only...
    folds = np.repeat([0, 1], 40)  # ...so the fold holding that half out cannot fit it
    _, _, oof = stack.level1(x, y, folds, lambda m: None)
    prior = np.log(np.nanmean(y[:, 0]) / (1 - np.nanmean(y[:, 0])))
    np.testing.assert_allclose(oof[40:, 0], prior)  # the full fit saw these rows: not used
    assert np.ptp(oof[40:, len(stack.BASE)]) > 0  # a label with both classes fits as before
