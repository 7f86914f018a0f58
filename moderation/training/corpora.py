"""The shared labelled corpora, mapped to our labels, and their train/calibration/validation split.

Each source annotates only some labels; the others are *missing* (NaN in ``Corpus.y``),
never negative, so each label is trained and evaluated only on rows that annotate it.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from moderation.contracts import LABELS
from moderation.training import civil

TRAIN, CALIB, VALID = 0, 1, 2
PART_NAMES = ("train", "calibration", "validation")

Row = Mapping[str, str]
_JIGSAW = {
    "toxic": "toxicity",
    "severe_toxic": "severe_toxicity",
    "obscene": "obscene",
    "threat": "threat",
    "insult": "insult",
    "identity_hate": "identity_attack",
}
# Placeholders some corpora put where a link was; the model sees a link either way.
_LINK_PLACEHOLDER = re.compile(r"(?<!\w)(?:@url|LINK)(?!\w)")
#: The link a placeholder becomes (cross-source pipeline evaluation removes it again).
LINK_STANDIN = "https://t.co/link"
_RETWEET = re.compile(r"(?<!\w)RT(?!\w):?")
# The machine-translated set has translator refusals in place of some comments: not data.
_REFUSAL = re.compile(r"^(?:désolé, )?je ne peux pas (?:vous aider|faire ça|accéder)", re.I)
_PREAMBLE = re.compile(r"^d'accord, voici la traduction\s*:\s*", re.I)


def _jigsaw(row: Row) -> dict[str, int]:
    return {ours: int(row[theirs] == "1") for theirs, ours in _JIGSAW.items()}


def _davidson(row: Row) -> dict[str, int]:
    return {"toxicity": int(row["class"] != "2"), "identity_attack": int(row["class"] == "0")}


def _cyberagression(row: Row) -> dict[str, int]:
    abuse = row["VERBAL_ABUSE"]
    return {
        "toxicity": int(abuse != "none"),
        "insult": int(abuse in ("name_calling", "denigration")),
        "threat": int(abuse == "threat"),
        "identity_attack": int(row["HATE_SPEECH"] == "yes"),
    }


def _one(label: str, column: str, positive: str) -> Callable[[Row], dict[str, int]]:
    return lambda row: {label: int(row[column] == positive)}


def clean_text(text: str) -> str:
    """A corpus text as loaded: entities unescaped, placeholders linked, refusals emptied."""
    text = _LINK_PLACEHOLDER.sub(LINK_STANDIN, html.unescape(text))
    text = _RETWEET.sub(" ", _PREAMBLE.sub("", text.strip())).strip()
    return "" if _REFUSAL.match(text) else text


@dataclass(frozen=True)
class Source:
    """One corpus file and how its columns map to our labels."""

    name: str
    language: str
    file: str
    text: str
    labels: Callable[[Row], dict[str, int]]
    group: str | None = None  # id column shared with another source (same comment)
    #: Rows built from the source's folder, for a set spread over several files.
    reader: Callable[[Path], Iterator[Row]] | None = None
    more_files: tuple[str, ...] = ()  # the other files ``reader`` reads (data fingerprint)


SOURCES: tuple[Source, ...] = (
    Source("jigsaw_subset_en", "en", "jigsaw_toxic_subset.csv", "comment_text", _jigsaw, "id"),
    Source("jigsaw_translated_fr", "fr", "subset_jigsaw_fr.csv", "content", _jigsaw, "msg_id"),
    Source(
        "davidson_en",
        "en",
        "labeled_data.csv",
        "tweet",
        _davidson,
    ),
    Source(
        "tweeteval_offensive_en",
        "en",
        "offensive.csv",
        "text",
        _one("toxicity", "label", "1"),
    ),
    Source(
        "tweeteval_hate_en",
        "en",
        "hate.csv",
        "text",
        _one("identity_attack", "label", "1"),
    ),
    Source(
        "mlma_fr",
        "fr",
        "fr_dataset.csv",
        "tweet",
        lambda row: {"toxicity": int(row["sentiment"] != "normal")},
    ),
    Source("ftr_fr", "fr", "ftr.csv", "tweet", _one("identity_attack", "label", "1")),
    Source(
        "cyberagressionado_fr",
        "fr",
        "cyberagressionado_v1.csv",
        "TEXT",
        _cyberagression,
    ),
    Source(
        "toxifrench_forum",
        "fr",
        "ToxiFrenchBalanced.csv",
        "content",
        _one("toxicity", "label", "1"),
    ),
    Source(
        "toxifrench_hateday",
        "fr",
        "HateDay-french.csv",
        "content",
        _one("toxicity", "label", "1"),
    ),
    Source("toxifrench_rtp", "fr", "RTP-LX-french.csv", "content", _one("toxicity", "label", "1")),
    Source("youtube_spam_en", "en", "youtube_spam.csv", "CONTENT", _one("spam", "CLASS", "1")),
    Source("sms_spam_en", "en", "sms_spam.csv", "text", _one("spam", "label", "spam")),
    Source(
        civil.NAME,
        "en",
        "comments.csv",
        "comment_text",
        lambda row: {label: int(row[label]) for label in ("toxicity", *civil.SPAN_LABELS.values())},
        reader=civil.rows,
        more_files=("annotations.csv", "spans.csv"),
    ),
)


@dataclass
class Corpus:
    """Texts with their source, language, split group and label matrix (NaN = not annotated)."""

    texts: list[str]
    sources: np.ndarray
    languages: np.ndarray
    groups: list[str]
    y: np.ndarray

    def __len__(self) -> int:
        return len(self.texts)

    def keys(self) -> np.ndarray:
        """A 64-bit digest of each row's source and text: finds a model's validation rows again."""
        digests = (
            hashlib.sha256(f"{source}\0{text}".encode()).digest()[:8]
            for source, text in zip(self.sources.tolist(), self.texts, strict=True)
        )
        return np.array([int.from_bytes(d, "big") for d in digests], dtype=np.uint64)

    def subset(self, mask: np.ndarray) -> Corpus:
        """The rows where ``mask`` is true."""
        idx = np.flatnonzero(mask)
        return Corpus(
            [self.texts[i] for i in idx],
            self.sources[idx],
            self.languages[idx],
            [self.groups[i] for i in idx],
            self.y[idx],
        )


def _build(records: list[tuple[str, str, str, str, dict[str, int]]]) -> Corpus:
    y = np.full((len(records), len(LABELS)), np.nan)
    for i, (*_, labels) in enumerate(records):
        for label, value in labels.items():
            y[i, LABELS.index(label)] = value
    return Corpus(
        [r[0] for r in records],
        np.array([r[1] for r in records], dtype=object),
        np.array([r[2] for r in records], dtype=object),
        [r[3] for r in records],
        y,
    )


def _read_source(data_dir: Path, source: Source) -> list[tuple[str, str, str, str, dict[str, int]]]:
    folder = data_dir / source.name
    records, seen = [], set()
    for row in source.reader(folder) if source.reader else _csv_rows(folder / source.file):
        text = clean_text(row[source.text] or "")
        key = " ".join(text.casefold().split())
        if not text or key in seen:  # exact duplicates would leak across the split
            continue
        seen.add(key)
        group = f"id:{row[source.group]}" if source.group else f"text:{key}"
        records.append((text, source.name, source.language, group, source.labels(row)))
    return records


def _csv_rows(path: Path) -> Iterator[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load_corpus(data_dir: Path, sources: tuple[Source, ...] = SOURCES) -> Corpus:
    """Read every source under ``data_dir`` into one corpus."""
    records = []
    for source in sources:
        records.extend(_read_source(data_dir, source))
    return _build(records)


#: Labelled data from our own moderation, by the source name training reports them under.
DECISIONS, SPOT_CHECKS, SUGGESTIONS = "decisions", "decisions_spot_checks", "suggestscore"
#: Sources never trained on: they calibrate and validate only (docs/model.md, spot checks).
HELD_OUT = frozenset({SPOT_CHECKS})


def decision_source(item: Mapping[str, object]) -> str:
    """Which source an exported row belongs to: blind spot check, suggestscore, decision."""
    # Deprecated: files exported before the rename mark spot checks ``"audit": true``;
    # read as such, so they are still never trained on.
    if item.get("spot_check") is True or item.get("audit") is True:
        return SPOT_CHECKS
    return SUGGESTIONS if item.get("source") == "perspective_feedback" else DECISIONS


def decisions_corpus(items: Iterable[Mapping[str, Any]]) -> Corpus:
    """Rows shaped as ``export-decisions`` writes them, as the corpus of their sources."""
    records = []
    for item in items:
        labels = {k: int(v) for k, v in item["labels"].items() if k in LABELS}
        text, language = str(item["text"]), str(item.get("language") or "und")
        records.append((text, decision_source(item), language, f"decision:{item['id']}", labels))
    return _build(records)


def load_decisions(path: Path) -> Corpus:
    """Read moderator decisions exported by ``export-decisions`` as more sources."""
    with path.open(encoding="utf-8") as handle:
        return decisions_corpus(json.loads(line) for line in handle if line.strip())


def concat(a: Corpus, b: Corpus) -> Corpus:
    """Two corpora as one."""
    return Corpus(
        a.texts + b.texts,
        np.concatenate([a.sources, b.sources]),
        np.concatenate([a.languages, b.languages]),
        a.groups + b.groups,
        np.concatenate([a.y, b.y]),
    )


def _stratum(source: str, labels: np.ndarray) -> str:
    # The rarest positive label keys the stratum, so rare labels split in proportion.
    present = [LABELS[j] for j in _RARITY if labels[j] == 1]
    return f"{source}/{present[0] if present else 'none'}"


_RARITY = [LABELS.index(n) for n in ("threat", "severe_toxicity", "identity_attack", "insult")]
_RARITY += [LABELS.index(n) for n in ("obscene", "spam", "toxicity")]


def split(corpus: Corpus, seed: int, valid: float = 0.2, calib: float = 0.15) -> np.ndarray:
    """Assign each row to TRAIN, CALIB or VALID, stratified per source and rarest label.

    Rows sharing a group (the same comment in two sources) always land in the same part.
    Held-out sources (blind spot checks) go to validation and calibration only.
    """
    rng = np.random.default_rng(seed)
    strata: dict[str, list[int]] = {}
    for i in range(len(corpus)):
        strata.setdefault(_stratum(corpus.sources[i], corpus.y[i]), []).append(i)
    parts = np.full(len(corpus), TRAIN, dtype=np.int8)
    by_group: dict[str, int] = {}
    for key in sorted(strata):
        rows = [strata[key][k] for k in rng.permutation(len(strata[key]))]
        n_valid, n_calib = round(len(rows) * valid), round(len(rows) * calib)
        if key.split("/", 1)[0] in HELD_OUT:  # never trained on: validation, then calibration
            n_valid = round(len(rows) * valid / (valid + calib))
            n_calib = len(rows) - n_valid
        for rank, i in enumerate(rows):
            part = VALID if rank < n_valid else CALIB if rank < n_valid + n_calib else TRAIN
            parts[i] = by_group.setdefault(corpus.groups[i], part)
    return parts
