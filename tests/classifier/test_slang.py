"""Word features that spell out chat shorthand and verlan (``TrainConfig.slang``)."""

from __future__ import annotations

import hashlib
import json

import numpy as np

from moderation.classifier.features import (
    SLANG_WORDS,
    fold,
    lexicon_ngrams,
    word_ngrams,
    word_spans,
)
from moderation.classifier.slang import SLANG
from moderation.classifier.vectorize import fit_vectorizer, lexicon_features

TEXTS = ["jules ftg", "ferme ta gueule", "merci pour cet article", "tepu va", "", "x"]


def test_shorthand_is_spelled_out_only_with_the_knob() -> None:
    folded = fold("Jules FTG, jvais te soulever")
    words = ["jules", "ftg", "jvais", "te", "soulever"]
    assert word_ngrams(folded) == [*words, "jules ftg", "ftg jvais", "jvais te", "te soulever"]
    spelled = word_ngrams(folded, slang=True)
    assert {"ferme ta", "ta gueule", "je vais", "gueule je"} <= set(spelled)
    assert "ftg" not in spelled and "jvais" not in spelled
    assert word_spans("ftg", slang=True) == [("ferme", 0, 3), ("ta", 0, 3), ("gueule", 0, 3)]
    assert "ta gueule" in lexicon_ngrams("jules tg", slang=True)
    assert "ta gueule" not in lexicon_ngrams("jules tg")


def test_the_table_is_folded_and_split_as_the_features_are() -> None:
    for token, words in SLANG.items():
        assert fold(token) == token and [w for w, _, _ in word_spans(token)] == [token]
        assert list(words) == word_ngrams(fold(" ".join(words)))[: len(words)]


def test_a_changed_table_changes_the_feature_scheme_name() -> None:
    # Crossval folds and artifacts are keyed by the scheme's name, not the table's content:
    # edit SLANG, then bump SLANG_WORDS ("+slang-2") and this digest together.
    table = json.dumps(SLANG, sort_keys=True).encode()
    assert (SLANG_WORDS, hashlib.sha256(table).hexdigest()[:12]) == ("+slang-1", "c37591e342fd")


def test_scoring_features_equal_training_features_with_slang() -> None:
    folded = [fold(t) for t in TEXTS]
    vectorizer, train_matrix = fit_vectorizer(folded, min_df=1, slang=True)
    assert vectorizer.slang and "ftg" not in vectorizer.word_vocab
    assert np.allclose(vectorizer.transform(folded).toarray(), train_matrix.toarray(), atol=1e-6)
    lexicon = {"fr": frozenset({"ta gueule"})}
    assert lexicon_features(["jules tg"], lexicon, slang=True)[0, 1] == 1.0
    assert lexicon_features(["jules tg"], lexicon)[0, 1] == 0.0
