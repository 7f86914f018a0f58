"""Training on a tiny generated corpus: split, missing labels, calibration, thresholds."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score

from moderation.classifier import artifact
from moderation.classifier.model import POOLED, LinearModel
from moderation.contracts import LABELS
from moderation.training.calibrate import MIN_HITS, PRECISION_TARGETS
from moderation.training.corpora import CALIB, TRAIN, VALID, Corpus, split
from moderation.training.train import Trained, train
from tests.fixtures.tinymodel import FAST, LEXICON


def test_split_is_stratified_per_source_and_deterministic(corpus: Corpus) -> None:
    parts = split(corpus, seed=3)
    assert np.array_equal(parts, split(corpus, seed=3))
    for source in set(corpus.sources):
        mine = parts[corpus.sources == source]
        assert {TRAIN, CALIB, VALID} <= set(mine.tolist())
        assert abs((mine == VALID).mean() - 0.2) < 0.05


def test_split_keeps_a_group_on_one_side(corpus: Corpus) -> None:
    twin = corpus.subset(np.ones(len(corpus), dtype=bool))
    twin.groups = [f"pair:{i // 2}" for i in range(len(corpus))]
    parts = split(twin, seed=1)
    assert np.array_equal(parts[0::2], parts[1::2])


def test_missing_labels_stay_missing(trained: Trained, corpus: Corpus) -> None:
    v = trained.validation
    spam = LABELS.index("spam")
    assert np.isnan(v.y[v.sources == "full_fr", spam]).all()
    assert not np.isnan(v.y[v.sources == "spam_en", spam]).any()


def test_scores_are_calibrated_probabilities(trained: Trained) -> None:
    scores = trained.validation.model
    assert scores.min() >= 0 and scores.max() <= 1


def test_calibration_is_monotone_per_language(model: LinearModel, corpus: Corpus) -> None:
    for language in ("fr", "en", "und"):
        langs = [language] * len(corpus)
        logits = model.logits(corpus.texts, langs)
        scores = model.calibrate(logits, langs)
        for j in range(len(LABELS)):
            order = np.argsort(logits[:, j], kind="stable")
            assert np.all(np.diff(scores[order, j]) >= 0)


def test_thresholds_reach_their_precision_on_validation(trained: Trained) -> None:
    v, table = trained.validation, trained.model.threshold_table
    reached = 0
    for language, labels in table.items():
        rows = np.ones(len(v.y), bool) if language == POOLED else v.languages == language
        for label, named in labels.items():
            j = LABELS.index(label)
            known = rows & ~np.isnan(v.y[:, j])
            for name, threshold in named.items():
                if threshold is None:
                    continue
                chosen = known & (v.model[:, j] >= threshold)
                assert v.y[chosen, j].mean() >= PRECISION_TARGETS[name]
                assert v.y[chosen, j].sum() >= MIN_HITS
                reached += 1
    assert reached >= 6


def test_thresholds_fall_back_to_pooled(model: LinearModel) -> None:
    pooled = model.threshold_table[POOLED]
    assert "spam" not in model.threshold_table["fr"]
    assert model.thresholds("fr")["spam"] == {
        k: v for k, v in pooled["spam"].items() if v is not None
    }
    und = model.thresholds("und")
    assert und["toxicity"] == {k: v for k, v in pooled["toxicity"].items() if v is not None}


def test_model_learns_and_beats_chance_in_both_languages(trained: Trained) -> None:
    v, j = trained.validation, LABELS.index("toxicity")
    for language in ("fr", "en"):
        rows = (v.languages == language) & ~np.isnan(v.y[:, j])
        assert roc_auc_score(v.y[rows, j], v.model[rows, j]) > 0.85


def test_baseline_is_scored_on_the_same_rows(trained: Trained) -> None:
    assert trained.validation.baseline.shape == trained.validation.model.shape
    assert not np.isnan(trained.validation.baseline).any()


def test_training_is_deterministic(trained: Trained, corpus: Corpus) -> None:
    again = train(corpus, dict(LEXICON), FAST, progress=lambda message: None)
    assert artifact.to_bytes(again.model) == artifact.to_bytes(trained.model)
