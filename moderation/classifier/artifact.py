"""Model artifacts: a zip of JSON and ``.npy`` arrays, never pickle, pinned by sha256.

``models/<version>/model.npz`` holds the model and ``model.sha256`` its digest; the
version itself ends with the digest's first 12 hex digits. Loading recomputes the digest
and refuses a file that does not match either, and parsing cannot execute code.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from moderation.classifier.calibration import Platt
from moderation.classifier.encoder import EncoderMismatch, check
from moderation.classifier.features import FEATURES_VERSION
from moderation.classifier.model import LinearModel
from moderation.classifier.vectorize import Vectorizer

FORMAT = "moderation-classifier/1"
ARTIFACT = "model.npz"
DIGEST = "model.sha256"
_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed zip timestamps: the same model gives the same bytes


class ModelIntegrityError(RuntimeError):
    """An artifact that is tampered with, foreign or unreadable: never loaded."""


def _vocab_list(vocab: dict[str, int], offset: int) -> list[str]:
    terms = [""] * len(vocab)
    for term, j in vocab.items():
        terms[j - offset] = term
    return terms


def _meta(model: LinearModel) -> dict[str, Any]:
    vec = model.vectorizer
    return {
        "format": FORMAT,
        "features": FEATURES_VERSION,
        "labels": list(model.labels),
        "word_vocab": _vocab_list(vec.word_vocab, 0),
        "char_vocab": _vocab_list(vec.char_vocab, len(vec.word_vocab)),
        "lexicon": {lang: sorted(terms) for lang, terms in sorted(model.lexicon.items())},
        "calibration": {
            lang: {label: p.as_list() for label, p in fits.items()}
            for lang, fits in model.calibration.items()
        },
        "thresholds": model.threshold_table,
        "info": model.info,
    } | ({"encoder": model.encoder_scheme} if model.encoder_scheme else {})


def _arrays(model: LinearModel) -> dict[str, np.ndarray]:
    dense = {} if model.encoder_weights is None else {"encoder_weights": model.encoder_weights}
    return dense | {
        "idf": model.vectorizer.idf.astype(np.float32),
        "rows": model.rows.astype(np.int32),
        # Half precision keeps the file small; evaluation runs on these very weights.
        "weights": model.weights.astype(np.float16),
        "lexicon_weights": model.lexicon_weights.astype(np.float64),
        "bias": model.bias.astype(np.float64),
    }


def _entry(archive: zipfile.ZipFile, name: str, payload: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, payload)


def to_bytes(model: LinearModel) -> bytes:
    """Serialise a model to the artifact's bytes (deterministic)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        meta = json.dumps(_meta(model), sort_keys=True, ensure_ascii=False)
        _entry(archive, "meta.json", meta.encode("utf-8"))
        for name, array in _arrays(model).items():
            npy = io.BytesIO()
            np.lib.format.write_array(npy, np.ascontiguousarray(array), allow_pickle=False)
            _entry(archive, f"{name}.npy", npy.getvalue())
    return buffer.getvalue()


def _read_array(archive: zipfile.ZipFile, name: str) -> np.ndarray:
    with archive.open(f"{name}.npy") as handle:
        return np.lib.format.read_array(io.BytesIO(handle.read()), allow_pickle=False)


def _model(meta: dict[str, Any], arrays: dict[str, np.ndarray], version: str) -> LinearModel:
    word = {term: j for j, term in enumerate(meta["word_vocab"])}
    char = {term: j + len(word) for j, term in enumerate(meta["char_vocab"])}
    return LinearModel(
        labels=tuple(meta["labels"]),
        vectorizer=Vectorizer(word, char, arrays["idf"].astype(np.float32)),
        lexicon={lang: frozenset(terms) for lang, terms in meta["lexicon"].items()},
        rows=arrays["rows"].astype(np.int64),
        weights=arrays["weights"].astype(np.float32),
        lexicon_weights=arrays["lexicon_weights"],
        bias=arrays["bias"],
        calibration={
            lang: {label: Platt(*pair) for label, pair in fits.items()}
            for lang, fits in meta["calibration"].items()
        },
        threshold_table=meta["thresholds"],
        info=meta.get("info", {}),
        version=version,
        encoder_scheme=meta.get("encoder"),
        encoder_weights=arrays.get("encoder_weights"),
    )


def from_bytes(payload: bytes, version: str = "unsaved") -> LinearModel:
    """Parse artifact bytes (no code runs: JSON and pickle-free arrays only)."""
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            meta = json.loads(archive.read("meta.json").decode("utf-8"))
            if meta.get("format") != FORMAT or meta.get("features") != FEATURES_VERSION:
                raise ModelIntegrityError(
                    f"model {version}: format {meta.get('format')!r}/{meta.get('features')!r} "
                    f"is not {FORMAT!r}/{FEATURES_VERSION!r}; retrain it with this code"
                )
            names = ["idf", "rows", "weights", "lexicon_weights", "bias"]
            if "encoder" in meta:
                _check_encoder(meta["encoder"], version)
                names.append("encoder_weights")
            return _model(meta, {n: _read_array(archive, n) for n in names}, version)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise ModelIntegrityError(f"model {version}: unreadable artifact ({exc})") from exc


def _check_encoder(recorded: Any, version: str) -> None:
    """The installed sentence encoder must be the one the model was trained with."""
    if not isinstance(recorded, dict):
        raise ModelIntegrityError(f"model {version}: its encoder record is not an object")
    try:
        check(recorded)
    except EncoderMismatch as exc:
        raise ModelIntegrityError(
            f"model {version}: {exc}; install the pinned encoder (make install) or retrain"
        ) from exc


def sha256_hex(payload: bytes) -> str:
    """Hex sha256 of bytes."""
    return hashlib.sha256(payload).hexdigest()


def version_for(payload: bytes, when: datetime | None = None) -> str:
    """``clf-YYYYMMDD-<first 12 hex of sha256>``."""
    day = (when or datetime.now(UTC)).strftime("%Y%m%d")
    return f"clf-{day}-{sha256_hex(payload)[:12]}"


def save(model: LinearModel, models_dir: Path, when: datetime | None = None) -> Path:
    """Write ``models_dir/<version>/`` with the artifact and its pinned digest."""
    payload = to_bytes(model)
    version = version_for(payload, when)
    folder = models_dir / version
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ARTIFACT).write_bytes(payload)
    (folder / DIGEST).write_text(f"{sha256_hex(payload)}  {ARTIFACT}\n", encoding="utf-8")
    model.version = version
    return folder


def load(folder: Path) -> LinearModel:
    """Load ``folder``'s artifact after checking it against its pinned sha256 and version."""
    version = folder.name
    try:
        expected = (folder / DIGEST).read_text(encoding="utf-8").split()[0].lower()
        payload = (folder / ARTIFACT).read_bytes()
    except (OSError, IndexError) as exc:
        raise ModelIntegrityError(f"model {version}: missing artifact or digest ({exc})") from exc
    actual = sha256_hex(payload)
    if actual != expected or not version.endswith(f"-{expected[:12]}"):
        raise ModelIntegrityError(
            f"model {version}: {folder / ARTIFACT} has sha256 {actual}, but {DIGEST} pins "
            f"{expected} and the version names {version.rsplit('-', 1)[-1]}; refusing to load "
            "a tampered or foreign artifact"
        )
    return from_bytes(payload, version)
