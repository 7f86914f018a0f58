"""Training: split, fit the stacked model, calibrate, pick thresholds, save and evaluate.

Every source is split train / calibration / validation (stratified, fixed seed). The model
is fitted on train, its sigmoid calibration on calibration, its thresholds and the
evaluation (beside the baseline, fitted on the same train rows) on validation. What is
evaluated is the artifact exactly as shipped (half-precision weights included).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sklearn

from moderation.classifier import artifact
from moderation.classifier.calibration import IDENTITY, Platt
from moderation.classifier.encoder import NONE, installed_scheme
from moderation.classifier.features import fold
from moderation.classifier.model import LANGUAGES, POOLED, LinearModel, Thresholds
from moderation.classifier.vectorize import lexicon_features
from moderation.contracts import LABELS
from moderation.training import stack
from moderation.training.baseline import baseline_scores
from moderation.training.calibrate import enough_for_calibration, fit_platt, named_thresholds
from moderation.training.corpora import (
    CALIB,
    PART_NAMES,
    SOURCES,
    TRAIN,
    VALID,
    Corpus,
    concat,
    decisions_corpus,
    load_corpus,
    load_decisions,
    split,
)
from moderation.training.embeddings import embed
from moderation.training.evaluate import Validation, write_evaluation
from moderation.training.operating import shipped_table
from moderation.training.vocabulary import fit_vectorizer, load_lexicon

Progress = Callable[[str], None]


@dataclass(frozen=True)
class TrainConfig:
    """Knobs of one training run (the defaults build the shipped model)."""

    seed: int = 42
    valid: float = 0.2
    calib: float = 0.15
    min_df: int = 2
    folds: int = 4
    max_weights: int | None = 250_000
    baseline: bool = True
    encoder: str = NONE  # sentence encoder engine beside TF-IDF (encoder.ENGINES)


def knobs(config: TrainConfig) -> dict[str, Any]:
    """The config as a model records it (``info.config``) and cross-validation keys its folds.

    Without an encoder, as before there was one: models and folds keep their bytes and keys.
    """
    recorded = asdict(config)
    if config.encoder == NONE:
        del recorded["encoder"]
    return recorded


@dataclass
class Trained:
    """A trained model and its validation predictions."""

    model: LinearModel
    validation: Validation


def stderr_progress() -> Progress:
    """A progress printer to stderr with elapsed time."""
    start = time.monotonic()

    def report(message: str) -> None:
        elapsed = int(time.monotonic() - start)
        print(f"[{elapsed // 60:02d}:{elapsed % 60:02d}] {message}", file=sys.stderr, flush=True)

    return report


def french_flag(languages: np.ndarray) -> np.ndarray:
    """1 for French, 0 for English, 0.5 for undetermined (the model averages both)."""
    return np.array([{"fr": 1.0, "en": 0.0}.get(lang, 0.5) for lang in languages])


def source_balanced(sources: np.ndarray) -> np.ndarray:
    """Weights giving every source the same total weight (mean 1)."""
    _, inverse, counts = np.unique(sources, return_inverse=True, return_counts=True)
    weights: np.ndarray = 1.0 / counts[inverse]
    normalised: np.ndarray = weights * len(weights) / weights.sum()
    return normalised


def _fit(
    train: Corpus,
    lexicon: dict[str, frozenset[str]],
    config: TrainConfig,
    progress: Progress,
    vectors: np.ndarray | None = None,
) -> LinearModel:
    folded = [fold(text) for text in train.texts]
    vectorizer, x = fit_vectorizer(folded, config.min_df)
    progress(f"features: {x.shape[1]} n-grams from {x.shape[0]} training rows")
    folds = stack.row_folds(len(train), config.folds, config.seed)
    w1, b1, oof = stack.level1(x, train.y, folds, progress)
    dense = None
    if vectors is not None:
        dense, dense_bias, dense_oof = stack.level1_dense(vectors, train.y, folds, progress)
        b1, oof = np.concatenate([b1, dense_bias]), np.hstack([oof, dense_oof])
    lex = lexicon_features(folded, lexicon)
    coefs, intercepts = stack.level2(
        stack.stack_features(oof, lex, french_flag(train.languages)), train.y
    )
    merged = stack.collapse(w1, b1, coefs, intercepts, lex.shape[1], dense)
    rows, weights = stack.prune(merged.weights, config.max_weights)
    progress(f"level 2 fitted; {weights.shape[0] - 1} feature weights kept")
    model = LinearModel(
        labels=LABELS,
        vectorizer=vectorizer,
        lexicon=lexicon,
        rows=rows,
        weights=weights,
        lexicon_weights=merged.lexicon_weights,
        bias=merged.bias,
        calibration={POOLED: {label: IDENTITY for label in LABELS}},
        threshold_table={},
        encoder_scheme=None if vectors is None else installed_scheme(config.encoder),
        encoder_weights=merged.dense_weights,
    )
    return artifact.from_bytes(artifact.to_bytes(model))  # exactly the shipped arithmetic


def _calibrators(logits: np.ndarray, calib: Corpus) -> dict[str, dict[str, Platt]]:
    fits: dict[str, dict[str, Platt]] = {POOLED: {}, **{lang: {} for lang in LANGUAGES}}
    for j, label in enumerate(LABELS):
        known = ~np.isnan(calib.y[:, j])
        # Sources weigh the same, so a large set of tweets does not set everyone's scale.
        fits[POOLED][label] = fit_platt(
            logits[known, j], calib.y[known, j], source_balanced(calib.sources[known])
        )
        for lang in LANGUAGES:
            mask = known & (calib.languages == lang)
            if enough_for_calibration(calib.y[mask, j]):
                weights = source_balanced(calib.sources[mask])
                fits[lang][label] = fit_platt(logits[mask, j], calib.y[mask, j], weights)
    return fits


def _thresholds(scores: np.ndarray, valid: Corpus) -> Thresholds:
    table: Thresholds = {POOLED: {}, **{lang: {} for lang in LANGUAGES}}
    for j, label in enumerate(LABELS):
        known = ~np.isnan(valid.y[:, j])
        for lang in (POOLED, *LANGUAGES):
            mask = known if lang == POOLED else known & (valid.languages == lang)
            if len(np.unique(valid.y[mask, j])) == 2:
                table[lang][label] = named_thresholds(scores[mask, j], valid.y[mask, j])
    return table


def train(
    corpus: Corpus,
    lexicon: dict[str, frozenset[str]],
    config: TrainConfig | None = None,
    progress: Progress | None = None,
) -> Trained:
    """Fit, calibrate and validate a model on a labelled corpus."""
    config, progress = config or TrainConfig(), progress or stderr_progress()
    parts = split(corpus, config.seed, config.valid, config.calib)
    counts = {name: int((parts == k).sum()) for k, name in enumerate(PART_NAMES)}
    progress(f"split: {counts}")
    train_set, calib, valid = (corpus.subset(parts == k) for k in (TRAIN, CALIB, VALID))
    vectors = embed(config.encoder, corpus.texts, progress)
    part = (lambda k: None) if vectors is None else (lambda k: vectors[parts == k])
    model = _fit(train_set, lexicon, config, progress, part(TRAIN))
    calib_logits = model.logits(calib.texts, list(calib.languages), part(CALIB))
    model.calibration = _calibrators(calib_logits, calib)
    langs = list(valid.languages)
    scores = model.calibrate(model.logits(valid.texts, langs, part(VALID)), langs)
    model.threshold_table = _thresholds(scores, valid)
    model.info = {"config": knobs(config), "rows": counts, "sklearn": sklearn.__version__}
    progress("calibrated; thresholds set on validation")
    base = np.full_like(scores, np.nan)
    if config.baseline:
        base = baseline_scores(train_set.texts, train_set.y, valid.texts, progress)
    validation = Validation(valid.y, valid.languages, valid.sources, scores, base, valid.keys())
    return Trained(model, validation)


def data_fingerprint(data_dir: Path) -> str:
    """sha256 over the corpus files used, so a metrics file names the data it came from."""
    digest = hashlib.sha256()
    for source in SOURCES:
        for name in (source.file, *source.more_files):
            digest.update((data_dir / source.name / name).read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Extra:
    """Labelled rows from our own moderation (decisions, spot checks, feedback) and their digest."""

    corpus: Corpus
    sha256: str


def extra_from_rows(rows: list[dict[str, Any]]) -> Extra:
    """Exported rows (``export-decisions`` shape) as an ``Extra``, digested as JSON lines."""
    lines = "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows)
    return Extra(decisions_corpus(rows), hashlib.sha256(lines.encode()).hexdigest())


def extra_from_file(path: Path) -> Extra:
    """An ``export-decisions`` file as an ``Extra``."""
    return Extra(load_decisions(path), hashlib.sha256(path.read_bytes()).hexdigest())


def build_corpus(corpora: Corpus, extras: list[Extra]) -> Corpus:
    """The shared corpora followed by our own labelled data, in the order training uses."""
    for extra in extras:
        corpora = concat(corpora, extra.corpus)
    return corpora


def apply_operating_points(model: LinearModel, crossval: Path) -> None:
    """Set the rules' cut-offs from a ``crossval`` file, and record which file it was."""
    model.threshold_table = shipped_table(crossval, model.threshold_table)
    model.info["operating_points_sha256"] = hashlib.sha256(crossval.read_bytes()).hexdigest()


def derive_with_operating_points(models_dir: Path, version: str, crossval: Path) -> Path:
    """A new version of a trained model with operating points from ``crossval``.

    What ``train --operating-points`` writes for the data and code that built ``version``
    (training is deterministic), without training again. The model records the file's
    sha256; the file itself stays where research wrote it (``var/crossval/``).
    """
    model = artifact.load(models_dir / version)
    apply_operating_points(model, crossval)
    folder = artifact.save(model, models_dir)
    shutil.copyfile(models_dir / version / "validation.npz", folder / "validation.npz")
    return folder


def train_from_data(
    data_dir: Path,
    models_dir: Path,
    extras: list[Extra] | None = None,
    config: TrainConfig | None = None,
    progress: Progress | None = None,
    operating_points: Path | None = None,
) -> Path:
    """Train on the shared corpora (plus moderator decisions) and write a model version.

    ``operating_points``, a cross-source file, sets the ``review`` thresholds and the
    floors of the rejections (``operating.shipped_table``); the model records its sha256.
    """
    progress = progress or stderr_progress()
    corpus = build_corpus(load_corpus(data_dir), extras or [])
    progress(f"loaded {len(corpus)} rows from {data_dir}")
    trained = train(corpus, load_lexicon(data_dir / "wordlists"), config, progress)
    trained.model.info["data_sha256"] = data_fingerprint(data_dir)
    if operating_points is not None:
        apply_operating_points(trained.model, operating_points)
    if extras:
        trained.model.info["decisions_sha256"] = [extra.sha256 for extra in extras]
        trained.model.info["decisions_rows"] = _extra_counts(extras)
    folder = artifact.save(trained.model, models_dir)
    trained.validation.save(folder / "validation.npz")
    write_evaluation(folder, trained.model, trained.validation)
    progress(f"saved {folder}")
    return folder


def _extra_counts(extras: list[Extra]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for extra in extras:
        for source in extra.corpus.sources.tolist():
            counts[source] = counts.get(source, 0) + 1
    return counts
