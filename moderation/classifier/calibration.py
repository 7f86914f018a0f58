"""Platt calibration of model logits: a fitted sigmoid per label and language."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit


@dataclass(frozen=True)
class Platt:
    """``sigmoid(slope * logit + intercept)`` with ``slope > 0``: strictly increasing."""

    slope: float
    intercept: float

    def __call__(self, logits: np.ndarray) -> np.ndarray:
        return np.asarray(expit(self.slope * np.asarray(logits) + self.intercept))

    def as_list(self) -> list[float]:
        """For the artifact's JSON."""
        return [self.slope, self.intercept]


IDENTITY = Platt(1.0, 0.0)
