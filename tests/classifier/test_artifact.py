"""Artifacts are deterministic, pinned by sha256, and never execute anything."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from moderation.classifier import artifact
from moderation.classifier.artifact import ModelIntegrityError
from moderation.classifier.model import LinearModel

TEXTS = ["Espèce de connard", "merci pour cet article", "you stupid idiot"]


def _folder(models_dir: Path) -> Path:
    return next(p for p in models_dir.iterdir() if p.is_dir())


def test_round_trip_scores_identically(model: LinearModel) -> None:
    again = artifact.from_bytes(artifact.to_bytes(model))
    before = [o.scores for o in model.score_many(TEXTS)]
    after = [o.scores for o in again.score_many(TEXTS)]
    assert before == after


def test_bytes_and_version_are_deterministic(model: LinearModel) -> None:
    assert artifact.to_bytes(model) == artifact.to_bytes(model)
    version = artifact.version_for(artifact.to_bytes(model))
    assert version.startswith("clf-") and len(version.rsplit("-", 1)[-1]) == 12


def test_saved_model_loads(models_dir: Path) -> None:
    folder = _folder(models_dir)
    loaded = artifact.load(folder)
    assert loaded.version == folder.name
    assert 0 <= loaded.score("Espèce de connard").scores["toxicity"] <= 1


def test_tampered_artifact_is_refused(models_dir: Path) -> None:
    path = _folder(models_dir) / artifact.ARTIFACT
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="refusing"):
        artifact.load(path.parent)


def test_repinned_digest_still_fails_the_version_name(models_dir: Path) -> None:
    folder = _folder(models_dir)
    data = (folder / artifact.ARTIFACT).read_bytes() + b"\0"
    (folder / artifact.ARTIFACT).write_bytes(data)
    (folder / artifact.DIGEST).write_text(artifact.sha256_hex(data) + "  model.npz\n")
    with pytest.raises(ModelIntegrityError, match="refusing"):
        artifact.load(folder)


def _install(models_dir: Path, payload: bytes) -> Path:
    digest = artifact.sha256_hex(payload)
    folder = models_dir / f"clf-20000101-{digest[:12]}"
    folder.mkdir()
    (folder / artifact.ARTIFACT).write_bytes(payload)
    (folder / artifact.DIGEST).write_text(f"{digest}  model.npz\n")
    return folder


def test_foreign_file_is_refused(tmp_path: Path) -> None:
    folder = _install(tmp_path, b"not a model at all")
    with pytest.raises(ModelIntegrityError, match="unreadable"):
        artifact.load(folder)


def test_pickled_arrays_are_never_loaded(tmp_path: Path, model: LinearModel) -> None:
    source = zipfile.ZipFile(io.BytesIO(artifact.to_bytes(model)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            if name != "bias.npy":
                archive.writestr(name, source.read(name))
        npy = io.BytesIO()
        np.save(npy, np.array([object()], dtype=object), allow_pickle=True)
        archive.writestr("bias.npy", npy.getvalue())
    folder = _install(tmp_path, buffer.getvalue())
    with pytest.raises(ModelIntegrityError):
        artifact.load(folder)


def test_other_feature_scheme_is_refused(model: LinearModel) -> None:
    source = zipfile.ZipFile(io.BytesIO(artifact.to_bytes(model)))
    meta = json.loads(source.read("meta.json"))
    meta["features"] = "something-else"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            data = json.dumps(meta).encode() if name == "meta.json" else source.read(name)
            archive.writestr(name, data)
    with pytest.raises(ModelIntegrityError, match="retrain"):
        artifact.from_bytes(buffer.getvalue())
