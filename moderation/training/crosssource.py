"""Cross-source rows as a file: held-out rows' labels, scores and the pipeline's actions.

Research's cross-validation (``python -m research.crossval``) writes these files; training
reads one to set the rules' operating points (``train --operating-points``).
Harmful = any non-spam label positive; clean = every annotated label negative.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from moderation.contracts import LABELS

ACTIONS = ("approve", "flag", "review", "reject")
HELD = (ACTIONS.index("review"), ACTIONS.index("reject"))

SPAM = LABELS.index("spam")
HARM = [j for j in range(len(LABELS)) if j != SPAM]


@dataclass
class CrossSource:
    """Held-out rows of every fold: labels, scores, pipeline actions (no texts)."""

    y: np.ndarray
    sources: np.ndarray
    languages: np.ndarray
    folds: np.ndarray
    model: np.ndarray
    baseline: np.ndarray
    actions: np.ndarray
    rules_only: np.ndarray  # the action with every score at 0: the word and text rules alone

    FIELDS = ("y", "sources", "languages", "folds", "model", "baseline", "actions", "rules_only")

    def save(self, path: Path) -> None:
        """Compressed, no pickle: re-rendering the table needs no retraining."""
        arrays = {k: getattr(self, k) for k in self.FIELDS}
        arrays["sources"] = self.sources.astype(str)
        arrays["languages"] = self.languages.astype(str)
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> CrossSource:
        """What ``save`` wrote."""
        with np.load(path, allow_pickle=False) as data:
            return cls(*(data[k] for k in cls.FIELDS))


def targets(y: np.ndarray, spam_source: bool) -> tuple[np.ndarray, np.ndarray]:
    """(positive, clean) masks: spam for a spam source, else any non-spam harm."""
    marked = np.nan_to_num(y, nan=0.0) == 1  # not annotated is not positive
    positive = marked[:, SPAM] if spam_source else marked[:, HARM].any(axis=1)
    clean = ~marked.any(axis=1)
    return positive, clean


def spam_only(y: np.ndarray) -> bool:
    """Rows of a spam corpus: every one annotates spam."""
    return bool(np.all(~np.isnan(y[:, SPAM])))
