"""Level-1 out-of-fold folds of whole sources (a screening knob; random rows are shipped)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp

from moderation.classifier import stack
from moderation.classifier.corpora import Corpus
from moderation.classifier.crossval import fold_key
from moderation.classifier.train import TrainConfig, knobs, train
from moderation.scoring.contracts import LABELS
from tests.classifier.conftest import FAST, LEXICON


def test_sources_stay_whole_and_group_mates_share_a_fold() -> None:
    sources = np.array(["big"] * 6 + ["tr_fr"] * 3 + ["orig_en"] * 3 + ["small"] * 2)
    groups = [f"r{i}" for i in range(6)] + ["g0", "g1", "g2", "g0", "g1", "g2", "s0", "s1"]
    folds = stack.source_folds(sources, groups, 4)
    by_source = {s: set(folds[sources == s]) for s in set(sources)}
    assert all(len(f) == 1 for f in by_source.values())
    assert by_source["tr_fr"] == by_source["orig_en"]  # translations beside their originals
    assert len(set(folds)) == 3  # three independent families, so three folds, not four
    assert by_source["big"] != by_source["tr_fr"]  # the largest first, to the emptiest fold
    with pytest.raises(ValueError, match="two independent sources"):
        stack.source_folds(np.array(["a", "b"]), ["g", "g"], 4)


def test_row_folds_are_the_shipped_random_ones() -> None:
    sources = np.array(["a"] * 50)
    expected = np.random.default_rng(42).integers(0, 4, 50)
    np.testing.assert_array_equal(stack.oof_folds("rows", sources, [""] * 50, 4, 42), expected)
    with pytest.raises(ValueError, match="out-of-fold scheme"):
        stack.oof_folds("threads", sources, [""] * 50, 4, 42)


def test_the_knob_is_keyed_only_when_set(corpus: Corpus) -> None:
    shipped = TrainConfig(baseline=False)
    assert "oof" not in knobs(shipped)  # folds and models cached before it still match
    grouped = replace(shipped, oof="sources")
    assert fold_key("d", ("tox_fr",), shipped) != fold_key("d", ("tox_fr",), grouped)
    trained = train(corpus, dict(LEXICON), replace(FAST, oof="sources"), lambda m: None)
    assert trained.model.info["config"]["oof"] == "sources"
    assert 0.0 <= trained.validation.model.min() <= trained.validation.model.max() <= 1.0


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
