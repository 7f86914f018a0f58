"""Scoring computes exactly the features training computed."""

from __future__ import annotations

import numpy as np

from moderation.classifier.features import fold
from moderation.classifier.vectorize import lexicon_features
from moderation.training.vocabulary import fit_vectorizer

TEXTS = ["Espèce de connard", "merci pour cet article", "you are an idiot idiot", "", "a"]


def test_scoring_features_equal_training_features() -> None:
    folded = [fold(t) for t in TEXTS]
    vectorizer, train_matrix = fit_vectorizer(folded, min_df=1)
    scored = vectorizer.transform(folded)
    assert np.allclose(scored.toarray(), train_matrix.toarray(), atol=1e-6)


def test_word_and_character_blocks_each_have_unit_norm() -> None:
    folded = [fold(t) for t in TEXTS[:3]]
    vectorizer, _ = fit_vectorizer(folded, min_df=1)
    dense = vectorizer.transform(folded).toarray()
    split = len(vectorizer.word_vocab)
    assert np.allclose(np.linalg.norm(dense[:, :split], axis=1), 1, atol=1e-5)
    assert np.allclose(np.linalg.norm(dense[:, split:], axis=1), 1, atol=1e-5)


def test_unknown_n_grams_are_ignored() -> None:
    vectorizer, _ = fit_vectorizer(["abc"], min_df=1)
    assert vectorizer.transform(["zzz qqq"]).nnz == 0


def test_lexicon_features_count_distinct_hits_per_language() -> None:
    lexicon = {"fr": frozenset({"connard", "va te faire"}), "en": frozenset({"idiot"})}
    rows = lexicon_features(["connard va te faire voir", "rien"], lexicon)
    assert rows[0].tolist() == [np.log1p(2), 1.0, 0.0, 0.0]
    assert rows[1].tolist() == [0.0, 0.0, 0.0, 0.0]
