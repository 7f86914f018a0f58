"""Do explanations point at the words people marked? Checked on raters' toxic spans.

On the validation comments of ``civil_comments_spans_en`` that most raters found toxic and
marked spans in, the model explains every label at or above ``likely``; its spans are
compared with the characters most raters marked: the share of explained characters inside
a rater span (precision), the character F1 per comment (SemEval-2021 task 5's measure,
averaged), and the share of comments where some explained word is a marked one. *Chance*
is the precision of words picked at random: the marked share of the comment's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from moderation.classifier.model import LinearModel
from moderation.training import civil
from moderation.training.corpora import Corpus, clean_text

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Marked:
    """A comment and the character spans most of its raters marked."""

    text: str
    spans: tuple[tuple[int, int], ...]


def marked_comments(data_dir: Path, keys: np.ndarray | None = None) -> list[Marked]:
    """Toxic comments with marked spans; with ``keys`` (``Corpus.keys``), only those rows.

    Comments that loading would change (entities, link placeholders) are left out: their
    marked offsets would no longer fit.
    """
    wanted = None if keys is None else set(keys.tolist())
    out = []
    for rated in civil.read(data_dir / civil.NAME):
        spans = rated.spans()
        if not spans or not rated.majority(rated.toxic) or clean_text(rated.text) != rated.text:
            continue
        if wanted is not None and _key(rated.text) not in wanted:
            continue
        out.append(Marked(rated.text, tuple(spans)))
    return out


def _key(text: str) -> int:
    sources, languages = np.array([civil.NAME], dtype=object), np.array(["en"], dtype=object)
    return int(Corpus([text], sources, languages, [""], np.zeros((1, 1))).keys()[0])


def _chars(spans: Iterable[tuple[int, int]]) -> set[int]:
    return {c for a, b in spans for c in range(a, b)}


def overlap(model: LinearModel, comments: list[Marked], batch: int = 256) -> dict[str, Any]:
    """Explanations of ``comments`` against their marked characters."""
    precisions, f1s, hits, chance = [], [], [], []
    inside = explained_chars = 0
    for start in range(0, len(comments), batch):
        part = comments[start : start + batch]
        outputs = model.score_many([c.text for c in part], ["en"] * len(part))
        for comment, output in zip(part, outputs, strict=True):
            said = _chars((e.span.start, e.span.end) for e in output.explanations)
            if not said:
                continue
            gold = _chars(comment.spans)
            words = _chars(m.span() for m in _WORD.finditer(comment.text))
            shared = len(said & gold)
            inside, explained_chars = inside + shared, explained_chars + len(said)
            precisions.append(shared / len(said))
            f1s.append(2 * shared / (len(said) + len(gold)))
            hits.append(shared > 0)
            chance.append(len(words & gold) / max(len(words), 1))
    return {
        "comments": len(comments),
        "explained": len(precisions),
        "precision": inside / explained_chars if explained_chars else float("nan"),
        "mean_precision": _mean(precisions),
        "char_f1": _mean(f1s),
        "hit_rate": _mean([float(h) for h in hits]),
        "chance_precision": _mean(chance),
    }


def _mean(values: list[float]) -> float:
    return float(np.mean(values)) if values else float("nan")


def check(model: LinearModel, data_dir: Path, keys: np.ndarray | None) -> str:
    """The check on the model's validation rows of the set (``keys``), else on all of them."""
    if not (data_dir / civil.NAME).is_dir():
        return f"explanations vs raters' spans: no {civil.NAME} in {data_dir}"
    marked = marked_comments(data_dir, keys) if keys is not None else []
    if marked:
        return text(overlap(model, marked), "validation")
    return text(overlap(model, marked_comments(data_dir)), "every comment: not trained on")


def text(found: dict[str, Any], scope: str = "validation") -> str:
    """The check as printed by ``moderation model evaluate``."""
    if not found["explained"]:
        return f"explanations vs raters' spans: none of {found['comments']} comments explained"
    return (
        f"explanations vs raters' toxic spans ({civil.NAME}, {scope}): "
        f"{found['explained']} of {found['comments']} marked toxic comments explained\n"
        f"  explained characters inside a marked span: {found['precision']:.3f} "
        f"(per comment {found['mean_precision']:.3f}; "
        f"words at random {found['chance_precision']:.3f})\n"
        f"  character F1 per comment (SemEval-2021 task 5): {found['char_f1']:.3f}; "
        f"comments where an explained word is marked: {found['hit_rate']:.3f}"
    )
