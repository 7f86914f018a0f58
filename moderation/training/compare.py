"""``moderation model evaluate NEW --against ACTIVE``: what NEW changes, per source, before promote.

Both models score NEW's validation rows, found again in the corpus rebuilt from the same
inputs by their keys (a digest of source and text; no text is stored with a model). Rows
the other model was fitted on (its train or calibration part, when its split can be
rebuilt from the same data) are left out, so it is not judged on what it learnt. A flip is
a comment whose set of labels at or above ``likely`` differs between the two models: the
house rules decide, so it bounds the decisions that rules naming ``likely`` would change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from moderation.classifier.model import LinearModel
from moderation.contracts import LABELS
from moderation.training.corpora import VALID, Corpus, load_corpus, split
from moderation.training.evaluate import Validation, group_metrics, plain
from moderation.training.train import Extra, build_corpus, data_fingerprint

HEAD = ["source", "rows", "labels", "AUC active", "AUC new", "AP active", "AP new"]
HEAD += ["flips", "+likely", "-likely"]


@dataclass
class Comparison:
    """Per source (and overall): both models' metrics and the comments whose flags flip."""

    new: str
    active: str
    rows: dict[str, dict[str, Any]]
    left_out: int
    active_rebuilt: bool
    found: int = 0  # NEW's validation rows found in the rebuilt corpus
    expected: int = 0  # of how many


def fitted_mask(corpus: Corpus, upto: int, config: dict[str, Any]) -> np.ndarray:
    """Rows among the first ``upto`` that a model trained on them with ``config`` fitted on."""
    parts = split(
        corpus.subset(np.arange(len(corpus)) < upto),
        config["seed"],
        config["valid"],
        config["calib"],
    )
    fitted = np.zeros(len(corpus), dtype=bool)
    fitted[:upto] = parts != VALID
    return fitted


def _likely(model: LinearModel, scores: np.ndarray, languages: np.ndarray) -> np.ndarray:
    flags = np.zeros(scores.shape, dtype=bool)
    for lang in set(languages.tolist()):
        rows, limits = languages == lang, model.thresholds(str(lang))
        for j, label in enumerate(LABELS):
            threshold = limits.get(label, {}).get("likely")
            if threshold is not None:
                flags[rows, j] = scores[rows, j] >= threshold
    return flags


def _scores(model: LinearModel, corpus: Corpus) -> np.ndarray:
    languages = list(corpus.languages)
    return model.calibrate(model.logits(corpus.texts, languages), languages)


def compare(
    new: LinearModel, active: LinearModel, rows: Corpus, *, left_out: int, rebuilt: bool
) -> Comparison:
    """Score ``rows`` (NEW's validation rows both may be judged on) with both models."""
    new_scores, old_scores = _scores(new, rows), _scores(active, rows)
    v = Validation(rows.y, rows.languages, rows.sources, new_scores, old_scores)
    up = _likely(new, new_scores, rows.languages) & ~_likely(active, old_scores, rows.languages)
    down = _likely(active, old_scores, rows.languages) & ~_likely(new, new_scores, rows.languages)
    groups = {"all": np.ones(len(rows), dtype=bool)}
    groups.update({src: rows.sources == src for src in sorted(set(rows.sources.tolist()))})
    found = {}
    for name, mask in groups.items():
        found[name] = group_metrics(v, mask) | {
            "flips": int((up[mask] | down[mask]).any(axis=1).sum()),
            "up": int(up[mask].any(axis=1).sum()),
            "down": int(down[mask].any(axis=1).sum()),
        }
    return Comparison(new.version, active.version, found, left_out, rebuilt)


def evaluate_against(
    new: LinearModel,
    validation: Validation,
    active: LinearModel,
    data_dir: Path,
    extras: list[Extra],
) -> Comparison:
    """Rebuild NEW's validation rows from the inputs given and compare both models on them."""
    if validation.keys is None:
        raise ValueError(
            f"{new.version} stores no validation keys (trained before them): retrain it"
        )
    if new.info.get("data_sha256") != data_fingerprint(data_dir):
        raise ValueError(f"{new.version} was trained on other corpora than {data_dir}")
    corpora = load_corpus(data_dir)
    corpus = build_corpus(corpora, extras)
    in_valid = np.isin(corpus.keys(), validation.keys)
    fitted, rebuilt = _fitted_by(active, corpus, len(corpora), data_dir, extras)
    chosen = in_valid & ~fitted
    found = compare(
        new, active, corpus.subset(chosen), left_out=int((in_valid & fitted).sum()), rebuilt=rebuilt
    )
    found.found, found.expected = int(in_valid.sum()), len(validation.y)
    return found


def _fitted_by(
    model: LinearModel, corpus: Corpus, corpora: int, data_dir: Path, extras: list[Extra]
) -> tuple[np.ndarray, bool]:
    """Rows the model was fitted on, if its inputs are among these; else none, and False."""
    recorded: Any = model.info.get("decisions_sha256") or []
    digests = [recorded] if isinstance(recorded, str) else list(recorded)
    config: Any = model.info.get("config")
    if not isinstance(config, dict) or model.info.get("data_sha256") != data_fingerprint(data_dir):
        return np.zeros(len(corpus), dtype=bool), False
    if not digests:
        return fitted_mask(corpus, corpora, config), True
    if digests == [extra.sha256 for extra in extras]:
        return fitted_mask(corpus, len(corpus), config), True
    return np.zeros(len(corpus), dtype=bool), False


def _metric(group: dict[str, Any], name: str, key: str) -> str:
    return f"{group[name][key]:.4f}" if name in group else "-"


def table(c: Comparison) -> str:
    """The comparison as plain text, with what it leaves out."""
    body = [
        [name, str(g["rows"]), str(len(g["labels"]))]
        + [_metric(g, m, "mean_roc_auc") for m in ("baseline", "model")]
        + [_metric(g, m, "mean_average_precision") for m in ("baseline", "model")]
        + [str(g["flips"]), str(g["up"]), str(g["down"])]
        for name, g in c.rows.items()
    ]
    note = (
        f"left out {c.left_out} validation rows {c.active} was fitted on"
        if c.active_rebuilt
        else f"{c.active}'s split could not be rebuilt from these inputs: on the shared "
        "corpora its figures may be optimistic (it may have trained on these rows)"
    )
    return (
        f"new {c.new} vs active {c.active} on {c.new}'s validation rows (mean over labels); "
        f"found {c.found} of its {c.expected} validation rows in these inputs\n"
        + plain(HEAD, body)
        + "\n\nflips: comments whose labels at or above 'likely' differ; +likely: the new model "
        "flags a label the active one does not; -likely: the reverse\n" + note
    )
