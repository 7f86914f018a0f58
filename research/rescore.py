"""Re-run a rules directory over a crossval file's stored scores: no training, rules only.

A crossval file keeps each held-out row's scores but no texts and no threshold tables.
The texts come back from the corpus: fold ``k``'s rows are the rows of the plan's
``k``-th sources, in corpus order (as ``crossval.assemble`` stacked them), and the
file's sources, folds and labels must match them. The file stores no threshold tables:
rules that name thresholds are replayed with a model's table (``base``), as it is or, with
``operating``, plus operating points set for each fold on the other folds (as
``crossval.assemble`` does); without ``base`` they are refused when compiling.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from moderation.classifier.model import Thresholds
from moderation.rules.loader import load_ruleset
from moderation.training.corpora import Corpus
from moderation.training.crosssource import ACTIONS, CrossSource
from moderation.training.operating import nested_tables
from research.pipeline_eval import decide_rows, known_names


def held_out_rows(corpus: Corpus, cs: CrossSource, plan: tuple[tuple[str, ...], ...]) -> np.ndarray:
    """Corpus row of each of the file's rows; ValueError when the file is not of this corpus."""
    parts = [np.flatnonzero(np.isin(corpus.sources, held)) for held in plan]
    rows = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    if len(rows) != len(cs.y):
        raise ValueError(f"the file has {len(cs.y)} rows, the corpus's held-out rows {len(rows)}")
    folds = np.concatenate([np.full(len(p), k) for k, p in enumerate(parts)])
    same_y = np.array_equal(np.nan_to_num(corpus.y[rows], nan=-1), np.nan_to_num(cs.y, nan=-1))
    if not (np.array_equal(corpus.sources[rows], cs.sources) and same_y):
        raise ValueError("the file's sources or labels differ from this corpus's held-out rows")
    if not np.array_equal(folds, cs.folds):
        raise ValueError("the file's folds differ from this protocol's")
    return rows


def rescore(
    corpus: Corpus,
    cs: CrossSource,
    rules_dir: Path,
    plan: tuple[tuple[str, ...], ...],
    base: Thresholds | None = None,
    operating: bool = False,
) -> CrossSource:
    """A copy of ``cs`` with ``actions`` and ``rules_only`` from the rules in ``rules_dir``."""
    rows = held_out_rows(corpus, cs, plan)
    texts = [corpus.texts[i] for i in rows]
    languages = [str(lang) for lang in corpus.languages[rows]]
    plain = load_ruleset(rules_dir, known_thresholds=None if base else {})
    alone = decide_rows(texts, languages, np.zeros_like(cs.model), {}, plain)
    if not base:
        return replace(
            cs, actions=decide_rows(texts, languages, cs.model, {}, plain), rules_only=alone
        )
    out = replace(cs, rules_only=alone)
    actions = np.zeros_like(alone)
    bases = [base] * (int(cs.folds.max()) + 1)
    tables = nested_tables(out, bases) if operating else bases
    for k, table in enumerate(tables):
        fold = np.flatnonzero(cs.folds == k)
        ruleset = load_ruleset(rules_dir, known_thresholds=known_names(table))
        pick = [texts[i] for i in fold], [languages[i] for i in fold]
        actions[fold] = decide_rows(*pick, cs.model[fold], table, ruleset)
    return replace(out, actions=actions)


def changes(before: CrossSource, after: CrossSource) -> str:
    """How many actions differ, and the moves between actions (``review->reject: 3``)."""
    moved = before.actions != after.actions
    lines = [f"{int(moved.sum())} of {len(moved)} actions differ from the file's"]
    for a, b in sorted(set(zip(before.actions[moved], after.actions[moved], strict=True))):
        count = int(((before.actions == a) & (after.actions == b)).sum())
        lines.append(f"  {ACTIONS[a]} -> {ACTIONS[b]}: {count}")
    return "\n".join(lines)
