"""Encoder vectors of training texts, cached on disk by text digest (training only).

Encoding the corpora takes minutes and every training run and crossval fold needs the
same vectors, so they are kept under ``var/embeddings/<engine>-<weights digest>/``
(git-ignored), keyed by the sha256 of each text; a changed engine gets a new folder.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from moderation.classifier.encoder import NONE, encoder, installed_scheme

#: Where vectors are cached unless ``MODERATION_EMBEDDINGS`` names another folder.
DEFAULT_CACHE = Path("var/embeddings")
BATCH = 2000  # texts encoded between progress reports and cache writes


def _keys(texts: Sequence[str]) -> np.ndarray:
    digests = (hashlib.sha256(text.encode()).digest()[:8] for text in texts)
    return np.array([int.from_bytes(d, "big") for d in digests], dtype=np.uint64)


def cache_dir(name: str) -> Path:
    """The folder of engine ``name``'s cached vectors."""
    root = Path(os.environ.get("MODERATION_EMBEDDINGS", DEFAULT_CACHE))
    return root / f"{name}-{installed_scheme(name)['weights_sha256'][:12]}"


def _load(folder: Path) -> tuple[np.ndarray, np.ndarray]:
    try:
        return np.load(folder / "keys.npy"), np.load(folder / "vectors.npy")
    except OSError:
        return np.zeros(0, dtype=np.uint64), np.zeros((0, 0), dtype=np.float32)


def _save(folder: Path, keys: np.ndarray, vectors: np.ndarray) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, array in (("keys", keys), ("vectors", vectors)):
        tmp = folder / f"{name}.{os.getpid()}.npy"
        np.save(tmp, array)
        tmp.replace(folder / f"{name}.npy")


def embed(
    name: str, texts: Sequence[str], progress: Callable[[str], None] | None = None
) -> np.ndarray | None:
    """Vectors of ``texts`` from engine ``name`` (None for ``none``), encoding only new ones."""
    if name == NONE:
        return None
    folder = cache_dir(name)
    keys = _keys(texts)
    known, vectors = _load(folder)
    index = {int(k): i for i, k in enumerate(known.tolist())}
    new = {int(k): i for i, k in enumerate(keys.tolist()) if int(k) not in index}
    missing = sorted(new.values())
    if missing:
        engine = encoder(name)
        found = [vectors] if len(known) else []
        for start in range(0, len(missing), BATCH):
            part = missing[start : start + BATCH]
            found.append(engine.encode([texts[i] for i in part]))
            if progress:
                progress(f"encoder {name}: {start + len(part)} of {len(missing)} new texts")
        known = np.concatenate([known, keys[missing]])
        vectors = np.vstack(found).astype(np.float32)
        _save(folder, known, vectors)
        index = {int(k): i for i, k in enumerate(known.tolist())}
    out: np.ndarray = vectors[[index[int(k)] for k in keys.tolist()]]
    return out
