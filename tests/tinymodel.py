"""A tiny generated bilingual corpus and a model trained on it (once per session).

A plugin of the root ``conftest.py``: runtime, training and research tests share the model.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from flask import Flask

from moderation.classifier import artifact, service
from moderation.classifier.model import LinearModel
from moderation.contracts import LABELS
from moderation.training.corpora import Corpus
from moderation.training.crosssource import CrossSource
from moderation.training.train import TrainConfig, Trained, train

CLEAN = {
    "fr": [
        "merci pour cet article",
        "je ne suis pas d'accord avec le ministre",
        "la réforme des retraites est mal expliquée",
        "très bonne analyse de la situation",
        "le match de hier était superbe",
        "les élections municipales approchent",
    ],
    "en": [
        "thanks for this article",
        "i disagree with the minister",
        "the pension reform is badly explained",
        "a very good analysis of the situation",
        "yesterday's match was superb",
        "local elections are coming",
    ],
}
# (label set, phrases): a toxic phrase carries toxicity plus these labels.
TOXIC = {
    "fr": [
        ({"insult"}, ["espèce de connard", "t'es qu'un abruti", "bande de crétins"]),
        ({"threat"}, ["je vais te tuer", "on va te casser la gueule"]),
        ({"obscene"}, ["putain de merde", "va te faire foutre"]),
        ({"identity_attack"}, ["ces immigrés sont des parasites", "sales étrangers dehors"]),
        ({"severe_toxicity", "insult", "obscene"}, ["crève sale fils de pute"]),
    ],
    "en": [
        ({"insult"}, ["you stupid idiot", "what a moron you are", "bunch of clowns"]),
        ({"threat"}, ["i will kill you", "we will beat you up"]),
        ({"obscene"}, ["fucking shit", "go fuck yourself"]),
        ({"identity_attack"}, ["these immigrants are parasites", "dirty foreigners out"]),
        ({"severe_toxicity", "insult", "obscene"}, ["die you motherfucker"]),
    ],
}
SPAM = ["win money now at www.prizes.example.com", "subscribe to my channel for free gifts"]
# Which labels each generated source annotates (the rest stay missing).
SOURCES = {
    "full_fr": ("fr", LABELS[:6]),
    "full_en": ("en", LABELS[:6]),
    "tox_fr": ("fr", ("toxicity",)),
    "hate_en": ("en", ("identity_attack",)),
    "spam_en": ("en", ("spam",)),
}
LEXICON = {"fr": frozenset({"connard", "abruti", "putain"}), "en": frozenset({"idiot", "fuck"})}
FAST = TrainConfig(seed=3, folds=2, min_df=1, max_weights=None)


def _row(rng: random.Random, source: str) -> tuple[str, dict[str, int]]:
    language, annotated = SOURCES[source]
    clean = rng.choice(CLEAN[language])
    if source == "spam_en" and rng.random() < 0.4:
        return f"{clean} {rng.choice(SPAM)}", {"spam": 1}
    if source != "spam_en" and rng.random() < 0.45:
        extra, phrases = rng.choice(TOXIC[language])
        labels = {"toxicity", *extra}
        text = f"{clean}, {rng.choice(phrases)}" if rng.random() < 0.5 else rng.choice(phrases)
    else:
        labels, text = set(), clean
    if rng.random() < 0.04:  # label noise, so metrics are not trivially perfect
        labels = set() if labels else {"toxicity", "insult"}
    return text, {label: int(label in labels) for label in annotated}


def make_corpus(rows_per_source: int = 240, seed: int = 0) -> Corpus:
    """A small corpus with the same missing-label structure as the shared one."""
    rng = random.Random(seed)
    texts, sources, languages, ys = [], [], [], []
    for source, (language, _) in SOURCES.items():
        for i in range(rows_per_source):
            text, labels = _row(rng, source)
            texts.append(f"{text} {i % 7 * 'vraiment ' if language == 'fr' else ''}".strip())
            sources.append(source)
            languages.append(language)
            ys.append([labels.get(label, np.nan) for label in LABELS])
    groups = [f"row:{i}" for i in range(len(texts))]
    return Corpus(
        texts,
        np.array(sources, dtype=object),
        np.array(languages, dtype=object),
        groups,
        np.array(ys, dtype=float),
    )


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return make_corpus()


@pytest.fixture(scope="session")
def trained(corpus: Corpus) -> Trained:
    return train(corpus, dict(LEXICON), FAST, progress=lambda message: None)


@pytest.fixture(scope="session")
def model(trained: Trained) -> LinearModel:
    return trained.model


@pytest.fixture
def models_dir(tmp_path: Path, trained: Trained) -> Path:
    """A models folder holding the trained model (not promoted)."""
    folder = artifact.save(trained.model, tmp_path)
    trained.validation.save(folder / "validation.npz")
    return tmp_path


@pytest.fixture
def version(models_dir: Path) -> str:
    return service.installed_versions(models_dir)[0]


@pytest.fixture
def model_app(models_dir: Path) -> Flask:
    """A bare Flask app whose MODELS_DIR is ``models_dir`` (no database)."""
    app = Flask(__name__)
    app.config["MODELS_DIR"] = str(models_dir)
    return app


def synthetic_cross_source(n: int = 400, seed: int = 0) -> CrossSource:
    """Four French sources of held-out rows, harmful ones scoring higher (no texts)."""
    rng = np.random.default_rng(seed)
    sources = np.array([f"s{i % 4}_fr" for i in range(n)])
    y = np.full((n, len(LABELS)), np.nan)
    harmful = rng.random(n) < 0.5
    y[:, LABELS.index("toxicity")] = harmful
    model = np.clip(rng.normal(0.3 + 0.4 * harmful[:, None], 0.15, (n, len(LABELS))), 0, 1)
    folds = np.array([i % 4 for i in range(n)])
    actions = np.zeros(n, dtype=np.int8)
    return CrossSource(
        y, sources, np.array(["fr"] * n), folds, model, model, actions, actions.copy()
    )
