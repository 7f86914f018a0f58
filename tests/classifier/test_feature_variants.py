"""What every feature variant (a screening knob, off in the shipped config) must keep."""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from dataclasses import replace

import pytest

from moderation.classifier import artifact
from moderation.classifier.corpora import Corpus
from moderation.classifier.crossval import fold_key
from moderation.classifier.explain import _occurrences
from moderation.classifier.features import FEATURES_VERSION, fold
from moderation.classifier.train import TrainConfig, knobs, train
from tests.classifier.conftest import FAST, LEXICON

#: knob (a TrainConfig field and Vectorizer attribute), feature scheme suffix, sample texts
VARIANTS = [
    ("char_cross", "+cross-3-5", ["espèce de connard, va", "sale con", "merci  pour   cet"]),
    ("slang", "+slang-1", ["ftg sale con", "t'es qu'un bâtard ptn", "merci  pour   cet"]),
]


@pytest.mark.parametrize(("knob", "suffix", "texts"), VARIANTS)
def test_the_knob_is_keyed_only_when_set_and_the_artifact_records_it(
    corpus: Corpus, knob: str, suffix: str, texts: list[str]
) -> None:
    shipped = TrainConfig(baseline=False)
    assert knob not in knobs(shipped)  # folds and models cached before it still match
    variant = replace(shipped, **{knob: True})
    assert fold_key("d", ("tox_fr",), shipped) != fold_key("d", ("tox_fr",), variant)
    model = train(corpus, dict(LEXICON), replace(FAST, **{knob: True}), lambda m: None).model
    payload = artifact.to_bytes(model)
    meta = json.loads(zipfile.ZipFile(io.BytesIO(payload)).read("meta.json"))
    assert meta["features"] == FEATURES_VERSION + suffix
    again = artifact.from_bytes(payload)
    assert getattr(again.vectorizer, {"char_cross": "cross"}.get(knob, knob))
    before = [o.scores for o in model.score_many(texts)]
    assert [o.scores for o in again.score_many(texts)] == before


@pytest.mark.parametrize(("knob", "suffix", "texts"), VARIANTS)
def test_explanations_see_every_column_scoring_counts(
    corpus: Corpus, knob: str, suffix: str, texts: list[str]
) -> None:
    model = train(corpus, dict(LEXICON), replace(FAST, **{knob: True}), lambda m: None).model
    for text in texts:
        folded = fold(text)
        spans = _occurrences(model, folded)
        assert Counter(spans[:, 0].tolist()) == Counter(model.vectorizer.columns(folded))
        for column, start, end in spans:  # each cross-word gram's span is where it is
            gram = next((g for g, j in model.vectorizer.char_vocab.items() if j == column), None)
            if gram is not None and " " in gram.strip():
                assert folded[start:end] == gram
