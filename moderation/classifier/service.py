"""The classifier as the pipeline sees it: the active model, loaded once per process.

``models/ACTIVE`` names the promoted version; every call re-reads that one small file,
so a promote reaches running web and worker processes without a restart, and the
artifact itself is loaded (and its sha256 checked) only when the version changes.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from moderation.classifier import artifact
from moderation.classifier.artifact import ModelIntegrityError
from moderation.classifier.model import LinearModel
from moderation.text.language import detect_language

log = logging.getLogger(__name__)

ACTIVE = "ACTIVE"
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def check_version(version: str) -> str:
    """A version name safe to use as a folder name (no paths, no traversal)."""
    if not _VERSION.match(version):
        raise ModelIntegrityError(f"{version!r} is not a model version name")
    return version


def active_version(directory: Path) -> str | None:
    """The promoted version named by ``ACTIVE``, or None when nothing is promoted."""
    try:
        text = (directory / ACTIVE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return check_version(text) if text else None


def load_version(directory: Path, version: str) -> LinearModel:
    """Load one version (integrity-checked), whether or not it is active."""
    return artifact.load(directory / check_version(version))


class ModelStore:
    """The promoted model of one process, built once in ``create_app`` (``MODELS_DIR``)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._loaded: LinearModel | None = None

    def current(self) -> LinearModel | None:
        """The active model (a ``Scorer``), None when none is installed.

        Raises ``ModelIntegrityError`` for a tampered or foreign artifact.
        """
        version = active_version(self.directory)
        if version is None:
            return None
        loaded = self._loaded
        if loaded is not None and loaded.version == version:
            return loaded
        with self._lock:
            if self._loaded is not None and self._loaded.version == version:
                return self._loaded
            if not (self.directory / version / artifact.ARTIFACT).exists():
                log.warning("models/%s names %s, which is not installed", ACTIVE, version)
                return None
            loaded = load_version(self.directory, version)
            if loaded.encoder_scheme is not None:
                loaded.text_encoder()  # its weights load now, not during the first comment
            self._loaded = loaded
            return loaded

    def named_thresholds(self) -> Mapping[str, Collection[str]] | None:
        """Named thresholds the promoted model offers (label -> names), None without a model."""
        try:
            model = self.current()
        except ModelIntegrityError:
            return None  # scoring reports the broken model; the rules must still load
        return None if model is None else offered_thresholds(model)


def offered_thresholds(model: LinearModel) -> dict[str, set[str]]:
    """Named thresholds a model offers the rules (label -> names)."""
    # A name the model measured but never reached counts as offered: a rule naming it
    # validates and never fires (``thresholds`` leaves it out), until a model reaches it.
    names: dict[str, set[str]] = {label: set() for label in model.labels}
    for table in model.threshold_table.values():
        for label, named in table.items():
            names.setdefault(label, set()).update(named)
    return names


def init_models(app: Flask) -> ModelStore:
    """Build the app's model store (``MODELS_DIR``, already absolute in the config)."""
    store = app.extensions["models"] = ModelStore(app.config["MODELS_DIR"])
    return store


def model_store() -> ModelStore:
    """The current app's model store."""
    store: ModelStore = current_app.extensions["models"]
    return store


def promote(directory: Path, version: str) -> LinearModel:
    """Make ``version`` the active model, after checking it loads; atomic for readers."""
    model = load_version(directory, version)
    handle, temp = tempfile.mkstemp(prefix=".ACTIVE.", dir=directory)
    os.fchmod(handle, 0o644)  # mkstemp makes it private; web and worker users must read it
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(version + "\n")
    os.replace(temp, directory / ACTIVE)
    return model


def installed_versions(directory: Path) -> list[str]:
    """Version folders that hold an artifact, oldest first."""
    if not directory.is_dir():
        return []
    found = [p.name for p in directory.iterdir() if (p / artifact.ARTIFACT).is_file()]
    return sorted(found)


def _parse_line(line: str) -> tuple[Any, str, str | None]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc.msg}") from None
    if not isinstance(item, dict):
        raise ValueError("expected a JSON object with 'id' and 'text'")
    ident = item.get("id")
    if not isinstance(ident, str | int) or isinstance(ident, bool):
        raise ValueError("'id' must be a string or an integer")
    text, hint = item.get("text"), item.get("language")
    if not isinstance(text, str):
        raise _WithId(ident, "'text' must be a string")
    if hint is not None and not isinstance(hint, str):
        raise _WithId(ident, "'language' must be a string when given")
    return ident, text, hint


class _WithId(ValueError):
    def __init__(self, ident: Any, message: str) -> None:
        super().__init__(message)
        self.ident = ident


def score_line(model: LinearModel, line: str, number: int) -> dict[str, Any]:
    """One output line of ``moderation model score`` for one input line."""
    try:
        ident, text, hint = _parse_line(line)
    except _WithId as exc:
        return {"line": number, "id": exc.ident, "error": str(exc)}
    except ValueError as exc:
        return {"line": number, "error": str(exc)}
    language = detect_language(text, hint)
    output = model.score(text, language, explain=False)
    scores = {label: round(value, 6) for label, value in output.scores.items()}
    return {"id": ident, "scores": scores, "language": output.language}
