"""Character n-grams across word boundaries (a screening variant, off in the shipped config)."""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from dataclasses import replace

import numpy as np

from moderation.classifier import artifact
from moderation.classifier.corpora import Corpus
from moderation.classifier.crossval import fold_key
from moderation.classifier.explain import _occurrences
from moderation.classifier.features import (
    CROSS_FEATURES_VERSION,
    FEATURES_VERSION,
    char_ngrams,
    cross_ngrams,
    fold,
)
from moderation.classifier.train import TrainConfig, knobs, train
from moderation.classifier.vectorize import fit_vectorizer
from tests.classifier.conftest import FAST, LEXICON

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


def test_the_knob_is_keyed_only_when_set_and_the_artifact_records_it(corpus: Corpus) -> None:
    shipped = TrainConfig(baseline=False)
    assert "char_cross" not in knobs(shipped)  # folds and models cached before it still match
    cross = replace(shipped, char_cross=True)
    assert fold_key("d", ("tox_fr",), shipped) != fold_key("d", ("tox_fr",), cross)
    model = train(corpus, dict(LEXICON), replace(FAST, char_cross=True), lambda m: None).model
    payload = artifact.to_bytes(model)
    meta = json.loads(zipfile.ZipFile(io.BytesIO(payload)).read("meta.json"))
    assert meta["features"] == CROSS_FEATURES_VERSION != FEATURES_VERSION
    again = artifact.from_bytes(payload)
    assert again.vectorizer.cross
    texts = ["sale con va", "merci"]
    before = [o.scores for o in model.score_many(texts)]
    assert [o.scores for o in again.score_many(texts)] == before


def test_explanations_see_every_column_scoring_counts(corpus: Corpus) -> None:
    model = train(corpus, dict(LEXICON), replace(FAST, char_cross=True), lambda m: None).model
    for text in ["espèce de connard, va", "sale con", "merci  pour   cet article"]:
        folded = fold(text)
        spans = _occurrences(model, folded)
        assert Counter(spans[:, 0].tolist()) == Counter(model.vectorizer.columns(folded))
        for column, start, end in spans:  # each span is where its n-gram is
            gram = next((g for g, j in model.vectorizer.char_vocab.items() if j == column), None)
            if gram is not None and " " in gram.strip():
                assert folded[start:end] == gram
