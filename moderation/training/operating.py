"""Operating points from cross-source scores: where the rules' named thresholds sit.

In-domain validation (a random part of every source) says little about a source the model
never saw: there, scores of clean comments run higher. So the cut-offs the rules use
are set on held-out sources' scores (a cross-source file, ``training.crosssource``):

- ``review``, per language and harm label, is the score that a share ``q`` of that
  language's clean held-out comments reach (each source weighing the same). The shares
  are allocated greedily (``choose_review``): step by step, the label whose next step
  (``STEPS``) catches the most harmful comments per clean comment it holds, as long as the
  pipeline (word rules, then model) holds at most ``AIM`` of the clean comments, mean over
  sources. A label that ranks a language's comments poorly thus gets little of the
  budget (one share for all labels spent it where other sources' clean comments score
  low, not where harm is). Spam gets a fixed share.
- ``very_likely`` (the rejections) is raised, where needed, to a score that at most
  ``REJECT_SHARE`` of the clean held-out comments reach.

Inside cross-validation (``research.crossval``) the same choice is nested: the cut-offs
used on a fold come from the other folds' rows only, so the table does not grade cut-offs
on the rows that set them.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np

from moderation.classifier.model import LANGUAGES, POOLED, Thresholds
from moderation.contracts import LABELS
from moderation.training import civil
from moderation.training.crosssource import HARM, HELD, SPAM, CrossSource, spam_only, targets

#: Clean comments held, mean over held-out sources, that the choice aims at (the
#: targets are 0.10 French and 0.08 English; the aim keeps a margin for unseen sources).
AIM = {"fr": 0.085, "en": 0.068, POOLED: 0.068}
SPAM_SHARE = 0.005
#: The shares of clean comments a label's review cut-off moves through, finer at the low
#: end, where a label's first catches are.
STEPS: tuple[float, ...] = (0.0, 0.002, 0.004, 0.007, 0.01, 0.015, 0.02, 0.03, 0.04)
STEPS += (0.05, 0.065, 0.08, 0.1, 0.13, 0.16, 0.2)
REJECT_SHARE = 0.001
REJECT_LABELS = ("threat", "identity_attack", "severe_toxicity")
#: Sources whose clean comments are no sample of a site's: every Toxic Spans comment was
#: picked because Jigsaw's raters found it toxic, so its clean ones are hard negatives.
#: Their harmful comments count in the catch; their clean ones stay out of the budget.
PICKED_AS_TOXIC = (civil.NAME,)


def top_share_cutoff(values: np.ndarray, weights: np.ndarray, share: float) -> float:
    """The lowest cut-off that a weighted share of at most ``share`` of ``values`` reaches."""
    order = np.argsort(-values, kind="stable")
    ranked = values[order]
    reached = np.cumsum(weights[order]) / weights.sum()
    # A cut-off admits every tied value, so only the last of a run of ties is a cut.
    cut = np.append(ranked[1:] != ranked[:-1], True)
    ok = np.flatnonzero(cut & (reached <= share))
    return float(ranked[ok[-1]]) if len(ok) else float(np.nextafter(ranked[0], np.inf))


def _balanced(sources: np.ndarray) -> np.ndarray:
    _, inverse, counts = np.unique(sources, return_inverse=True, return_counts=True)
    weights: np.ndarray = 1.0 / counts[inverse]
    return weights


def _clean_rows(cs: CrossSource, mask: np.ndarray) -> np.ndarray:
    clean = np.zeros(len(cs.y), dtype=bool)
    clean[mask] = targets(cs.y[mask], False)[1]
    return clean & ~np.isin(cs.sources, PICKED_AS_TOXIC)


def approx_held(cs: CrossSource, rows: np.ndarray, cutoffs: dict[str, float]) -> np.ndarray:
    """Held by the word rules alone, or by any label at or above its cut-off."""
    held = np.isin(cs.rules_only[rows], HELD)
    for label, cut in cutoffs.items():
        held |= cs.model[rows, LABELS.index(label)] >= cut
    return held


def clean_held(cs: CrossSource, mask: np.ndarray, cutoffs: dict[str, float]) -> float:
    """Mean over sources of the share of their clean rows held."""
    clean = _clean_rows(cs, mask)
    shares = []
    for source in np.unique(cs.sources[clean]):
        rows = clean & (cs.sources == source)
        shares.append(approx_held(cs, rows, cutoffs).mean())
    return float(np.mean(shares))


def choose_review(cs: CrossSource, mask: np.ndarray, aim: float) -> dict[str, float]:
    """Review cut-offs that catch the most harm for clean held within ``aim`` (greedy)."""
    clean = _clean_rows(cs, mask)
    weights = _balanced(cs.sources[clean])
    budget = _Budget(cs, mask, clean)
    steps = {j: [top_share_cutoff(cs.model[clean, j], weights, q) for q in STEPS] for j in HARM}
    spam = top_share_cutoff(cs.model[clean, SPAM], weights, SPAM_SHARE)
    level = dict.fromkeys(HARM, 0)
    spent, caught = budget.shares({SPAM: spam, **{j: steps[j][0] for j in HARM}})
    while True:
        best: tuple[float, int, float, float] | None = None
        for j in HARM:
            if level[j] + 1 == len(STEPS):
                continue
            trial = {SPAM: spam, **{i: steps[i][level[i] + (i == j)] for i in HARM}}
            cost, gain = budget.shares(trial)
            if cost > aim:
                continue
            ratio = (gain - caught) / max(cost - spent, 1e-6)
            if best is None or ratio > best[0]:
                best = (ratio, j, cost, gain)
        if best is None:
            break
        _, j, spent, caught = best
        level[j] += 1
    cut = {LABELS[j]: steps[j][level[j]] for j in HARM}
    return {**cut, "spam": spam}


class _Budget:
    """Clean held and harm caught, each a mean over sources, for trial cut-offs (fast)."""

    def __init__(self, cs: CrossSource, mask: np.ndarray, clean: np.ndarray) -> None:
        harm = np.zeros(len(cs.y), dtype=bool)
        for source in np.unique(cs.sources[mask]):
            rows = mask & (cs.sources == source)
            if not spam_only(cs.y[rows]):  # spam corpora's catch is spam's, set apart
                harm[rows] = targets(cs.y[rows], False)[0]
        self.model = cs.model
        self.parts = [self._part(cs, np.flatnonzero(part)) for part in (clean, harm)]

    @staticmethod
    def _part(cs: CrossSource, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        source = np.unique(cs.sources[rows], return_inverse=True)[1]
        return rows, source, np.isin(cs.rules_only[rows], HELD)

    def shares(self, cut: dict[int, float]) -> tuple[float, float]:
        """(clean held, harm caught) with these cut-offs (label index: score)."""
        out = []
        for rows, source, by_rules in self.parts:
            if not len(rows):
                out.append(0.0)
                continue
            held = by_rules.copy()
            for j, value in cut.items():
                held |= self.model[rows, j] >= value
            counts = np.bincount(source)
            out.append(float(np.mean(np.bincount(source, weights=held) / counts)))
        return out[0], out[1]


def _reject_floor(cs: CrossSource, mask: np.ndarray, label: str) -> float:
    clean = _clean_rows(cs, mask)
    weights = _balanced(cs.sources[clean])
    return top_share_cutoff(cs.model[clean, LABELS.index(label)], weights, REJECT_SHARE)


def operating_table(cs: CrossSource, mask: np.ndarray, base: Thresholds) -> Thresholds:
    """``base`` (a model's named thresholds) with ``review`` added and rejections raised."""
    table = copy.deepcopy(base)
    for lang in (*LANGUAGES, POOLED):
        rows = mask if lang == POOLED else mask & (cs.languages == lang)
        if not _clean_rows(cs, rows).any():
            continue  # nothing to set it on: the language keeps the model's thresholds
        own = table.setdefault(lang, {})
        for label, cut in choose_review(cs, rows, AIM[lang]).items():
            own.setdefault(label, dict(table[POOLED].get(label, {})))["review"] = cut
        for label in REJECT_LABELS:
            named = own.get(label, {})
            current = named.get("very_likely")
            if current is not None:  # never reached in-domain: the rule stays off
                named["very_likely"] = max(current, _reject_floor(cs, rows, label))
    return table


def shipped_table(path: Path, base: Thresholds) -> Thresholds:
    """A model's thresholds with operating points from every row of a crossval file."""
    cs = CrossSource.load(path)
    return operating_table(cs, np.ones(len(cs.y), dtype=bool), base)


def nested_tables(cs: CrossSource, bases: list[Thresholds]) -> list[Thresholds]:
    """For each fold, its model's table with operating points from the other folds."""
    return [operating_table(cs, cs.folds != k, base) for k, base in enumerate(bases)]
