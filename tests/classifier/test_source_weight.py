"""Level-1 source weighting (a screening knob, off in the shipped config)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp

from moderation.classifier import stack
from moderation.classifier.corpora import Corpus
from moderation.classifier.crossval import fold_key
from moderation.classifier.train import TrainConfig, knobs, train
from tests.classifier.conftest import FAST, LEXICON


def test_weights_give_each_source_its_share() -> None:
    sources = np.array(["a"] * 900 + ["b"] * 100)
    assert stack.source_weights(sources, "none") is None
    for scheme, share in (("equal", 0.5), ("sqrt", 30 / (30 + 10))):
        weights = stack.source_weights(sources, scheme)
        assert weights is not None
        assert weights.mean() == pytest.approx(1.0)
        assert weights[:900].sum() / weights.sum() == pytest.approx(share)
    with pytest.raises(ValueError, match="unknown source weighting"):
        stack.source_weights(sources, "balanced")


def test_equal_weighting_stops_a_large_source_from_setting_a_feature() -> None:
    # Feature 0 means harm in the large source and the opposite in the small one.
    rng = np.random.default_rng(0)
    sources = np.array(["big"] * 900 + ["small"] * 100)
    present = rng.random(1000) < 0.5
    y = np.where(sources == "big", present, ~present).astype(float)
    x = sp.csr_matrix(np.column_stack([present, rng.random(1000) < 0.5]).astype(float))
    plain, _ = stack.fit_base(x, y, "lr", 4.0)
    equal, _ = stack.fit_base(x, y, "lr", 4.0, stack.source_weights(sources, "equal"))
    assert plain[0] > 2.0
    assert abs(equal[0]) < 0.2 * plain[0]


def test_the_knob_is_keyed_only_when_set(corpus: Corpus) -> None:
    shipped = TrainConfig(baseline=False)
    assert "source_weight" not in knobs(shipped)  # folds and models cached before it still match
    assert knobs(replace(shipped, source_weight="sqrt"))["source_weight"] == "sqrt"
    sqrt = replace(shipped, source_weight="sqrt")
    assert fold_key("d", ("tox_fr",), shipped) != fold_key("d", ("tox_fr",), sqrt)
    with pytest.raises(ValueError, match="needs the rows' sources"):
        stack.level1(sp.csr_matrix((2, 2)), np.zeros((2, 7)), np.zeros(2), print, None, "equal")
    weighted = train(corpus, dict(LEXICON), replace(FAST, source_weight="equal"), lambda m: None)
    assert weighted.model.info["config"]["source_weight"] == "equal"
    assert 0.0 <= weighted.validation.model.min() <= weighted.validation.model.max() <= 1.0
