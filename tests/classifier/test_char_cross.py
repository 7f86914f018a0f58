"""Character n-grams across word boundaries (a screening variant, off in the shipped config)."""

from __future__ import annotations

import numpy as np

from moderation.classifier.features import (
    char_ngrams,
    cross_ngrams,
    fold,
)
from moderation.classifier.vectorize import fit_vectorizer

TEXTS = ["sale con va", "espèce de connard", "merci pour cet article", "a b", "", "x"]


def test_cross_grams_span_exactly_one_space_and_never_collide_with_in_word_grams() -> None:
    grams = cross_ngrams("sale con va")
    assert grams[:3] == ["e c", "le c", "e co"]
    assert {"ale c", "e con", "con v", "on va"} <= set(grams)
    assert all(g.count(" ") == 1 and not g.startswith(" ") and not g.endswith(" ") for g in grams)
    assert not set(grams) & set(char_ngrams("sale con va"))
    assert cross_ngrams("a b") == ["a b"] and cross_ngrams("seul") == []


def test_scoring_features_equal_training_features_with_cross_grams() -> None:
    folded = [fold(t) for t in TEXTS]
    vectorizer, train_matrix = fit_vectorizer(folded, min_df=1, cross=True)
    plain, _ = fit_vectorizer(folded, min_df=1)
    assert vectorizer.cross and len(vectorizer.char_vocab) > len(plain.char_vocab)
    assert np.allclose(vectorizer.transform(folded).toarray(), train_matrix.toarray(), atol=1e-6)
