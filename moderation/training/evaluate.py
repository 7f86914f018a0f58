"""Validation metrics, model beside baseline, per language and per source.

Writes ``metrics.json``, ``report.md`` and one precision-recall PNG per label into the
model's folder; ``table`` is what ``moderation model evaluate`` prints.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score

from moderation.classifier.model import LANGUAGES, LinearModel
from moderation.contracts import LABELS

MODELS = ("model", "baseline")


@dataclass
class Validation:
    """Validation labels (NaN = not annotated) and both models' scores, no texts."""

    y: np.ndarray
    languages: np.ndarray
    sources: np.ndarray
    model: np.ndarray
    baseline: np.ndarray
    keys: np.ndarray | None = None  # Corpus.keys() of the rows; older models have none

    def save(self, path: Path) -> None:
        """Store beside the artifact, so evaluation can be redone without retraining."""
        arrays: dict[str, Any] = {
            "y": self.y,
            "languages": self.languages.astype(str),
            "sources": self.sources.astype(str),
            "model": self.model,
            "baseline": self.baseline,
        }
        if self.keys is not None:
            arrays["keys"] = self.keys
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> Validation:
        """Read what ``save`` wrote (no pickle)."""
        with np.load(path, allow_pickle=False) as data:
            y, languages, sources, model, baseline = (
                data[k] for k in ("y", "languages", "sources", "model", "baseline")
            )
            keys = data["keys"] if "keys" in data.files else None
            return cls(y, languages, sources, model, baseline, keys)


def _label_metrics(v: Validation, mask: np.ndarray, j: int) -> dict[str, Any] | None:
    rows = mask & ~np.isnan(v.y[:, j])
    y = v.y[rows, j]
    if len(np.unique(y)) < 2:
        return None
    out: dict[str, Any] = {"rows": int(rows.sum()), "positives": int(y.sum())}
    for name in MODELS:
        scores = getattr(v, name)[rows, j]
        if np.isnan(scores).any():
            continue
        out[name] = {
            "roc_auc": float(roc_auc_score(y, scores)),
            "average_precision": float(average_precision_score(y, scores)),
        }
    return out


def group_metrics(v: Validation, mask: np.ndarray) -> dict[str, Any]:
    labels = {}
    for j, label in enumerate(LABELS):
        found = _label_metrics(v, mask, j)
        if found is not None:
            labels[label] = found
    means = {}
    for name in MODELS:
        got = [m[name] for m in labels.values() if name in m]
        if got:
            means[name] = {
                "mean_roc_auc": float(np.mean([g["roc_auc"] for g in got])),
                "mean_average_precision": float(np.mean([g["average_precision"] for g in got])),
            }
    return {"rows": int(mask.sum()), "labels": labels, **means}


def off_source_flags(model: LinearModel, v: Validation) -> dict[str, dict[str, float]]:
    """Per language and label, the share of texts from sources that do not annotate the
    label scoring at or above its ``likely`` threshold.

    Not a measured error rate, but a bound on one where those sources hold (nearly) no
    positives, as for spam: it shows a label firing outside the corpora it learnt from.
    """
    out: dict[str, dict[str, float]] = {}
    for lang in LANGUAGES:
        limits, rows = model.thresholds(lang), v.languages == lang
        out[lang] = {}
        for j, label in enumerate(LABELS):
            other = rows & np.isnan(v.y[:, j])
            if other.any() and "likely" in limits[label]:
                share = np.mean(v.model[other, j] >= limits[label]["likely"])
                out[lang][label] = float(share)
    return out


def metrics(model: LinearModel, v: Validation) -> dict[str, Any]:
    """Everything ``metrics.json`` holds."""
    languages = {lang: group_metrics(v, v.languages == lang) for lang in LANGUAGES}
    sources = {src: group_metrics(v, v.sources == src) for src in sorted(set(v.sources.tolist()))}
    for src, group in sources.items():
        group["language"] = str(v.languages[v.sources == src][0])
    return {
        "version": model.version,
        "info": model.info,
        "pooled": group_metrics(v, np.ones(len(v.y), dtype=bool)),
        "languages": languages,
        "sources": sources,
        "thresholds": model.threshold_table,
        "off_source_flag_rate": off_source_flags(model, v),
        "calibration": {
            lang: {label: p.as_list() for label, p in fits.items()}
            for lang, fits in model.calibration.items()
        },
    }


def _fmt(group: dict[str, Any], name: str, key: str) -> str:
    return f"{group[name][key]:.4f}" if name in group else "-"


def _summary_rows(report: dict[str, Any]) -> list[list[str]]:
    rows = []
    for kind in ("languages", "sources"):
        for name, group in report[kind].items():
            if not group["labels"]:
                continue
            rows.append(
                [name, str(group["rows"]), str(len(group["labels"]))]
                + [_fmt(group, m, "mean_roc_auc") for m in MODELS]
                + [_fmt(group, m, "mean_average_precision") for m in MODELS]
            )
    return rows


def _threshold(value: float | None) -> str:
    return "null" if value is None else f"{value:.4f}"


def _label_rows(report: dict[str, Any]) -> list[list[str]]:
    rows = []
    for lang, group in report["languages"].items():
        for label, m in group["labels"].items():
            named = report["thresholds"].get(lang, {}).get(label, {})
            rows.append(
                [lang, label, str(m["rows"]), str(m["positives"])]
                + [f"{m[n]['roc_auc']:.4f}" if n in m else "-" for n in MODELS]
                + [f"{m[n]['average_precision']:.4f}" if n in m else "-" for n in MODELS]
                + [_threshold(named.get("likely")), _threshold(named.get("very_likely"))]
            )
    return rows


SUMMARY_HEAD = ["group", "rows", "labels", "AUC model", "AUC base", "AP model", "AP base"]
LABEL_HEAD = ["lang", "label", "rows", "pos", "AUC model", "AUC base", "AP model", "AP base"]
LABEL_HEAD += ["likely (p>=.90)", "very_likely (p>=.97)"]


def plain(head: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in [head, *rows]]
    return "\n".join(lines)


def _markdown(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(r) + " |" for r in [head, ["---"] * len(head), *rows]]
    return "\n".join(lines)


OFF_HEAD = ["lang", *LABELS]


def _off_rows(report: dict[str, Any]) -> list[list[str]]:
    rates = report["off_source_flag_rate"]
    return [
        [lang] + [f"{rates[lang][label]:.3f}" if label in rates[lang] else "-" for label in LABELS]
        for lang in rates
    ]


def table(report: dict[str, Any]) -> str:
    """The side-by-side validation table as plain text."""
    return (
        f"model {report['version']} vs baseline (validation; mean over labels)\n"
        + plain(SUMMARY_HEAD, _summary_rows(report))
        + "\n\nper label and language (thresholds are the model's, on calibrated scores)\n"
        + plain(LABEL_HEAD, _label_rows(report))
        + "\n\nshare of texts from sources not annotating a label that reach its 'likely'\n"
        + plain(OFF_HEAD, _off_rows(report))
    )


def markdown(report: dict[str, Any]) -> str:
    """``report.md``."""
    return "\n\n".join(
        [
            f"# Classifier {report['version']}: validation report",
            "Model beside the TF-IDF + logistic-regression baseline trained on the same rows "
            "in the same run. ROC-AUC and average precision (AP), mean over the labels each "
            "group annotates. `null` threshold: that precision is never reached on validation "
            "(with at least 5 true positives); rules naming it never fire.",
            "## Per language and per source",
            _markdown(SUMMARY_HEAD, _summary_rows(report)),
            "## Per label and language, with thresholds",
            _markdown(LABEL_HEAD, _label_rows(report)),
            "## Firing outside the label's sources",
            "Share of validation texts from sources that do not annotate a label scoring at or "
            "above its `likely` threshold. Not an error rate, but a bound on one where those "
            "sources hold almost no positives (spam: tweets and forum comments).",
            _markdown(OFF_HEAD, _off_rows(report)),
            "Precision-recall curves: `pr-<label>.png`.",
        ]
    )


def plot_curves(folder: Path, v: Validation) -> list[Path]:
    """One precision-recall PNG per label (model solid, baseline dashed), if matplotlib is here."""
    try:
        import matplotlib  # late: an optional extra (dev), not a product dependency

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # late: after choosing the headless backend
    except ImportError:
        return []
    written = []
    for j, label in enumerate(LABELS):
        fig, ax = plt.subplots(figsize=(5, 4))
        for lang in LANGUAGES:
            rows = (v.languages == lang) & ~np.isnan(v.y[:, j])
            if len(np.unique(v.y[rows, j])) < 2:
                continue
            for name, style in (("model", "-"), ("baseline", "--")):
                scores = getattr(v, name)[rows, j]
                if not np.isnan(scores).any():
                    precision, recall, _ = precision_recall_curve(v.y[rows, j], scores)
                    color = "tab:blue" if lang == "fr" else "tab:green"
                    ax.plot(recall, precision, style, color=color, label=f"{name} {lang}")
        ax.set(title=label, xlabel="recall", ylabel="precision", ylim=(0, 1.02))
        ax.legend(loc="lower left", fontsize="small")
        path = folder / f"pr-{label}.png"
        fig.savefig(path, dpi=80)
        plt.close(fig)
        written.append(path)
    return written


def write_evaluation(folder: Path, model: LinearModel, v: Validation) -> dict[str, Any]:
    """Write metrics.json, report.md and PR curves into the model's folder."""
    report = metrics(model, v)
    (folder / "metrics.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    (folder / "report.md").write_text(markdown(report) + "\n", encoding="utf-8")
    plot_curves(folder, v)
    return report
