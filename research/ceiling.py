"""The most that any cut-off on the model's scores could catch: the ceiling of the targets.

The decision-quality targets ask, per language, for a share of harmful comments caught
(held or rejected) while at most a budget of clean ones is flagged. Here, for every source, the
cut-off on the model's harm score (its highest non-spam label, as in the cross-source
table) is chosen on that source's own rows so that its clean comments flagged stay within
the budget. No cut-off on that score picks better on those rows, so the share of harmful
comments above it bounds what a rule cutting on that score can catch there. (The house
rules combine several labels' cut-offs and word lists; docs/model.md measures how close
they come.)

Read on the in-domain validation rows (a model fitted on 65% of the same source) it bounds
what the model family reaches with the source in training; on cross-source rows, what it
reaches on a source it never saw.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from moderation.training.crosssource import HARM, spam_only, targets
from moderation.training.evaluate import plain as aligned

if TYPE_CHECKING:
    from moderation.training.crosssource import CrossSource
    from moderation.training.evaluate import Validation

#: The decision-quality targets per language: (harmful caught at least, clean flagged at most).
TARGETS = {"fr": (0.80, 0.10), "en": (0.92, 0.08)}


def caught_within(positive_scores: np.ndarray, clean_scores: np.ndarray, budget: float) -> float:
    """Share of positives a cut-off flagging at most ``budget`` of the clean scores catches.

    The best such cut-off sits just above the (k+1)-th highest clean score, k the most
    clean comments the budget allows: anything lower flags k+1 of them.
    """
    if not len(positive_scores) or not len(clean_scores):
        return float("nan")
    allowed = int(np.floor(budget * len(clean_scores) + 1e-9))
    if allowed >= len(clean_scores):
        return 1.0
    first_refused = np.sort(clean_scores)[::-1][allowed]
    return float((positive_scores > first_refused).mean())


def ceiling(
    y: np.ndarray, sources: np.ndarray, languages: np.ndarray, model: np.ndarray
) -> dict[str, Any]:
    """Per harm source and language (mean of sources): the ceiling at the language's budget."""
    per_source: dict[str, dict[str, Any]] = {}
    for source in sorted(set(sources.tolist()), key=lambda s: (s.endswith("_en"), s)):
        rows = sources == source
        language = str(languages[rows][0])
        if spam_only(y[rows]) or language not in TARGETS:
            continue
        positive, clean = targets(y[rows], False)
        score = np.nanmax(model[rows][:, HARM], axis=1)
        budget = TARGETS[language][1]
        per_source[source] = {
            "language": language,
            "harmful": int(positive.sum()),
            "clean": int(clean.sum()),
            "caught": caught_within(score[positive], score[clean], budget),
        }
    means = {
        lang: float(np.nanmean([m["caught"] for m in per_source.values() if m["language"] == lang]))
        for lang in TARGETS
        if any(m["language"] == lang for m in per_source.values())
    }
    return {"sources": per_source, "languages": means}


def plain(found: dict[str, Any]) -> str:
    """The ceiling as aligned text, the targets beside the language means."""
    rows = []
    for lang, caught in found["languages"].items():
        goal, budget = TARGETS[lang]
        rows.append(
            [f"{lang} (mean of sources)", "", "", f"{caught:.3f}", f"{goal} within {budget}"]
        )
    for source, m in found["sources"].items():
        rows.append([source, str(m["harmful"]), str(m["clean"]), f"{m['caught']:.3f}", ""])
    return aligned(["source", "harmful", "clean", "caught at most", "target"], rows)


def text(title: str, rows: Validation | CrossSource) -> str:
    """The ceiling of one table's rows, with its heading, as ``evaluate`` prints it."""
    found = ceiling(rows.y, rows.sources, rows.languages, rows.model)
    head = f"ceiling, {title}: the best cut-off on the harm score, set per source on its rows"
    return f"\n{head}\n{plain(found)}"
