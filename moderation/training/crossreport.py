"""The cross-source table: per held-out source and language, model alone and shipped pipeline.

Harmful = any non-spam label positive; clean = every annotated label negative. The model's
harm score is its highest non-spam label score; spam sources are judged on ``spam``.
Caught = held for review or rejected; clean flagged = clean rows held or rejected.
Language rows are the mean over that language's sources (each weighs the same), and
``all rows`` pools them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

from moderation.training.crosssource import (
    ACTIONS,
    HARM,
    HELD,
    SPAM,
    CrossSource,
    spam_only,
    targets,
)

#: Where ``python -m research.crossval`` writes each protocol's rows, its title, the command.
CROSS_SOURCE_FILES = (
    ("var/crossval/grouped.npz", "cross-source validation", "python -m research.crossval"),
    (
        "var/crossval/loso.npz",
        "leave one source out",
        "python -m research.crossval --protocol loso",
    ),
)
COLUMNS = ("model AUC", "model AP", "base AUC", "caught", "clean flagged", "clean rejected")


def _ranking(y: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    if len(np.unique(y)) < 2 or np.isnan(scores).any():
        return float("nan"), float("nan")
    return float(roc_auc_score(y, scores)), float(average_precision_score(y, scores))


def _mean(values: list[float]) -> float:
    known = [v for v in values if not np.isnan(v)]
    return float(np.mean(known)) if known else float("nan")


def _rate(flags: np.ndarray, mask: np.ndarray) -> float:
    return float(flags[mask].mean()) if mask.any() else float("nan")


def group_metrics(cs: CrossSource, mask: np.ndarray, spam_source: bool) -> dict[str, Any]:
    """The table's figures for some rows of one kind (spam or harm)."""
    positive, clean = targets(cs.y[mask], spam_source)
    cols = [SPAM] if spam_source else HARM
    model, base = cs.model[mask][:, cols].max(axis=1), cs.baseline[mask][:, cols].max(axis=1)
    auc, ap = _ranking(positive, model)
    base_auc, _ = _ranking(positive, base)
    actions = cs.actions[mask]
    held, rejected = np.isin(actions, HELD), actions == ACTIONS.index("reject")
    return {
        "rows": int(mask.sum()),
        "positives": int(positive.sum()),
        "model AUC": auc,
        "model AP": ap,
        "base AUC": base_auc,
        "caught": _rate(held, positive),
        "clean flagged": _rate(held, clean),
        "clean rejected": _rate(rejected, clean),
    }


def is_spam_source(cs: CrossSource, source: str) -> bool:
    """A source that annotates spam only."""
    return spam_only(cs.y[cs.sources == source])


def report(cs: CrossSource) -> dict[str, Any]:
    """Per source, per language (mean of sources and all rows), spam sources apart."""
    sources = {}
    for source in sorted(set(cs.sources.tolist()), key=lambda s: (s.endswith("_en"), s)):
        spam = is_spam_source(cs, source)
        sources[source] = group_metrics(cs, cs.sources == source, spam)
        sources[source].update(language=str(cs.languages[cs.sources == source][0]), spam=spam)
    languages = {}
    for lang in ("fr", "en"):
        own = [m for m in sources.values() if m["language"] == lang and not m["spam"]]
        mean = {c: _mean([m[c] for m in own]) for c in COLUMNS}
        # Clean flagged counts spam sources' ham too: those are clean texts as well.
        every = [m for m in sources.values() if m["language"] == lang]
        for c in ("clean flagged", "clean rejected"):
            mean[c] = _mean([m[c] for m in every])
        spam_sources = [s for s, m in sources.items() if m["spam"]]
        harm_rows = (cs.languages == lang) & ~np.isin(cs.sources, spam_sources)
        languages[lang] = {"mean": mean, "all": group_metrics(cs, harm_rows, False)}
    return {"sources": sources, "languages": languages}


def _fmt(value: float) -> str:
    return "-" if np.isnan(value) else f"{value:.3f}"


def rows(rep: dict[str, Any]) -> list[list[str]]:
    """Table rows: languages first, then sources."""
    out = []
    for lang, both in rep["languages"].items():
        out.append([f"{lang} (mean of sources)", "", ""] + [_fmt(both["mean"][c]) for c in COLUMNS])
        got = both["all"]
        out.append([f"{lang} (all rows)", str(got["rows"]), str(got["positives"])])
        out[-1] += [_fmt(got[c]) for c in COLUMNS]
    for source, m in rep["sources"].items():
        name = f"{source} (spam)" if m["spam"] else source
        out.append([name, str(m["rows"]), str(m["positives"])] + [_fmt(m[c]) for c in COLUMNS])
    return out


HEAD = ["held-out", "rows", "harmful", *COLUMNS]


def plain(rep: dict[str, Any]) -> str:
    """The table as aligned text."""
    body = [HEAD, *rows(rep)]
    widths = [max(len(r[i]) for r in body) for i in range(len(HEAD))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in body)


def markdown(rep: dict[str, Any]) -> str:
    """The table as Markdown."""
    body = [HEAD, ["---"] * len(HEAD), *rows(rep)]
    return "\n".join("| " + " | ".join(r) + " |" for r in body)


def file_of(model_info: dict[str, object], folder: Path) -> Path | None:
    """The cross-source file in ``folder`` a model's operating points were set on, if kept."""
    wanted = model_info.get("operating_points_sha256")
    for path in sorted(folder.glob("*.npz")) if wanted and folder.is_dir() else []:
        if hashlib.sha256(path.read_bytes()).hexdigest() == wanted:
            return path
    return None


def summary(path: Path) -> str:
    """The table of a cross-source file, as the run that wrote it decided its rows."""
    head = (
        f"cross-source ({path}: each fold's model on sources it never saw, the rules' "
        "actions as that run recorded them; to replay today's rules: python -m "
        "research.crossval --rescore FILE --thresholds-of models/VERSION)"
    )
    return head + "\n" + plain(report(CrossSource.load(path)))
