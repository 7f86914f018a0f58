"""The committed models load and score as they did when trained (no retraining)."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.classifier import artifact
from moderation.classifier.model import LinearModel

MODELS = Path(__file__).parents[2] / "models"
#: The n-gram model promoted before the sentence encoder's, kept to roll back to.
SHIPPED = MODELS / "clf-20261207-3cdb53945faa"
ACTIVE = MODELS / (MODELS / "ACTIVE").read_text().strip()
#: Scores rounded as ``moderation model score`` prints them, measured before the runtime
#: was split from training and research: a change here changes every decision.
PINNED = {
    "Espèce de connard, ftg": (
        "fr",
        {"toxicity": 0.999965, "severe_toxicity": 0.620767, "obscene": 0.997618},
        {"threat": 0.006474, "insult": 0.983631, "identity_attack": 0.060429, "spam": 0.060338},
    ),
    "merci pour cet article très clair": (
        "fr",
        {"toxicity": 0.044633, "severe_toxicity": 0.038126, "obscene": 0.059727},
        {"threat": 0.004692, "insult": 0.024101, "identity_attack": 0.008866, "spam": 0.362835},
    ),
    "you stupid idiot, go f*ck yourself": (
        "en",
        {"toxicity": 0.999999, "severe_toxicity": 0.072072, "obscene": 0.999072},
        {"threat": 0.00044, "insult": 0.999776, "identity_attack": 0.152984, "spam": 0.038191},
    ),
    "je vais te tuer sale c0nn4rd !!!": (
        "fr",
        {"toxicity": 0.999912, "severe_toxicity": 0.63763, "obscene": 0.762097},
        {"threat": 0.99991, "insult": 0.641116, "identity_attack": 0.049299, "spam": 0.016795},
    ),
}
EXPLAINED = [("threat", "vais te tuer"), ("obscene", "sale c0nn4rd")]


@pytest.fixture(scope="module")
def shipped() -> LinearModel:
    return artifact.load(SHIPPED)


def test_the_shipped_artifact_round_trips_to_its_own_bytes(shipped: LinearModel) -> None:
    assert artifact.to_bytes(shipped) == (SHIPPED / artifact.ARTIFACT).read_bytes()


def test_the_shipped_model_scores_as_pinned(shipped: LinearModel) -> None:
    outputs = shipped.score_many(list(PINNED))
    for output, (language, first, rest) in zip(outputs, PINNED.values(), strict=True):
        assert output.language == language
        assert {k: round(v, 6) for k, v in output.scores.items()} == first | rest
    why = {(e.label, e.span.text) for e in outputs[-1].explanations}
    assert set(EXPLAINED) <= why


def test_cross_validation_files_are_not_shipped_beside_the_model() -> None:
    assert not list(SHIPPED.glob("crossval*"))


#: The promoted model (n-grams and the ``use-m3`` encoder), to 4 decimals: the encoder's
#: float32 sums may differ in the last bits from one BLAS kernel to another.
ACTIVE_PINNED = {
    "Espèce de connard, ftg": ("fr", {"toxicity": 0.9998, "insult": 0.9512, "threat": 0.0021}),
    "merci pour cet article très clair": ("fr", {"toxicity": 0.0211, "insult": 0.0219}),
    "you stupid idiot, go f*ck yourself": ("en", {"toxicity": 0.9997, "insult": 0.9986}),
    "je vais te tuer sale c0nn4rd !!!": ("fr", {"threat": 0.9976, "obscene": 0.9199}),
    "Les femmes sont des sous-hommes": ("fr", {"toxicity": 0.9423, "identity_attack": 0.412}),
}


@pytest.fixture(scope="module")
def active() -> LinearModel:
    return artifact.load(ACTIVE)


def test_the_promoted_model_reads_meaning_with_its_pinned_encoder(active: LinearModel) -> None:
    assert artifact.to_bytes(active) == (ACTIVE / artifact.ARTIFACT).read_bytes()
    outputs = active.score_many(list(ACTIVE_PINNED))
    for output, (language, pinned) in zip(outputs, ACTIVE_PINNED.values(), strict=True):
        assert output.language == language
        assert {k: output.scores[k] for k in pinned} == pytest.approx(pinned, abs=5e-4)
