"""The most that any cut-off on the model's scores could catch: the ceiling of the targets.

Issue 13's targets ask, per language, for a share of harmful comments caught (held or
rejected) while at most a budget of clean ones is flagged. Here, for every source, the
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

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from moderation.classifier.crossval_report import (
    CROSSVAL,
    CROSSVAL_LOSO,
    HARM,
    SPAM,
    CrossSource,
    report,
    targets,
)
from moderation.classifier.crossval_report import plain as cross_plain

if TYPE_CHECKING:
    from moderation.classifier.evaluate import Validation

#: Issue 13's targets per language: (harmful caught at least, clean flagged at most).
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


def _is_spam_only(y: np.ndarray) -> bool:
    """Rows that annotate spam and nothing else (the spam corpora)."""
    return bool(np.all(~np.isnan(y[:, SPAM])) and np.all(np.isnan(y[:, HARM])))


def ceiling(
    y: np.ndarray, sources: np.ndarray, languages: np.ndarray, model: np.ndarray
) -> dict[str, Any]:
    """Per harm source and language (mean of sources): the ceiling at the language's budget."""
    per_source: dict[str, dict[str, Any]] = {}
    for source in sorted(set(sources.tolist()), key=lambda s: (s.endswith("_en"), s)):
        rows = sources == source
        language = str(languages[rows][0])
        if _is_spam_only(y[rows]) or language not in TARGETS:
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
    body = [["source", "harmful", "clean", "caught at most", "target"]]
    for lang, caught in found["languages"].items():
        goal, budget = TARGETS[lang]
        body.append(
            [f"{lang} (mean of sources)", "", "", f"{caught:.3f}", f"{goal} within {budget}"]
        )
    for source, m in found["sources"].items():
        body.append([source, str(m["harmful"]), str(m["clean"]), f"{m['caught']:.3f}", ""])
    widths = [max(len(r[i]) for r in body) for i in range(len(body[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in body)


_CROSS_SOURCE = (
    (CROSSVAL, "cross-source validation", "moderation model crossval"),
    (CROSSVAL_LOSO, "leave one source out", "moderation model crossval --protocol loso"),
)


def _ceiling_text(title: str, rows: Validation | CrossSource) -> str:
    found = ceiling(rows.y, rows.sources, rows.languages, rows.model)
    head = f"ceiling, {title}: the best cut-off on the harm score, set per source on its rows"
    return f"\n{head}\n{plain(found)}"


def beside_model(folder: Path, validation: Validation) -> str:
    """What ``evaluate`` prints after the validation table: ceilings and cross-source tables."""
    out = [_ceiling_text("in-domain validation", validation)]
    for name, title, rebuild in _CROSS_SOURCE:
        if (folder / name).is_file():
            cs = CrossSource.load(folder / name)
            out.append(f"\n{title} ({folder / name}; rebuild: {rebuild})")
            out += [cross_plain(report(cs)), _ceiling_text(title, cs)]
        elif name == CROSSVAL:
            out.append(f"\nno {CROSSVAL} in {folder}: run 'moderation model crossval'")
    return "\n".join(out)
