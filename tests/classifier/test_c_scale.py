"""Level-1 C scaling (a screening knob, 1.0 in the shipped config)."""

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


def test_a_smaller_scale_shrinks_the_level1_weights() -> None:
    rng = np.random.default_rng(0)
    x = sp.csr_matrix((rng.random((400, 6)) < 0.3).astype(float))
    y = np.column_stack([(x[:, 0].toarray()[:, 0] > 0).astype(float)] * len(LABELS))
    folds = rng.integers(0, 2, 400)
    shipped, _, _ = stack.level1(x, y, folds, lambda m: None)
    same, _, _ = stack.level1(x, y, folds, lambda m: None, c_scale=1.0)
    strong, _, _ = stack.level1(x, y, folds, lambda m: None, c_scale=0.25)
    np.testing.assert_array_equal(shipped, same)
    assert np.abs(strong[0]).max() < np.abs(shipped[0]).max()
    with pytest.raises(ValueError, match="c_scale must be positive"):
        stack.level1(x, y, folds, lambda m: None, c_scale=0.0)


def test_the_knob_is_keyed_only_when_set(corpus: Corpus) -> None:
    shipped = TrainConfig(baseline=False)
    assert "c_scale" not in knobs(shipped)  # folds and models cached before it still match
    scaled = replace(shipped, c_scale=0.25)
    assert knobs(scaled)["c_scale"] == 0.25
    assert fold_key("d", ("tox_fr",), shipped) != fold_key("d", ("tox_fr",), scaled)
    trained = train(corpus, dict(LEXICON), replace(FAST, c_scale=0.25), lambda m: None)
    assert trained.model.info["config"]["c_scale"] == 0.25
    assert 0.0 <= trained.validation.model.min() <= trained.validation.model.max() <= 1.0
