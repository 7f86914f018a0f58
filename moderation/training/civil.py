"""The news-site comments with raters' toxic spans (``civil_comments_spans_en``).

Toxic Spans (SemEval-2021 task 5): Civil Comments re-read by 3 to 7 raters each. A
comment is toxic when most of its raters did not tick ``not toxic``; it has a label of
insult, threat, identity attack or obscenity when most of them marked a span of that
type. A character is toxic when most raters marked it: those spans are what the model's
explanations are checked against.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

NAME = "civil_comments_spans_en"
#: Span types (by their first four letters: the file has truncated ones) and our labels.
SPAN_LABELS = {"Insu": "insult", "Thre": "threat", "Iden": "identity_attack", "Prof": "obscene"}


@dataclass
class Rated:
    """One comment: its text, its raters' verdicts and marked characters."""

    text: str
    raters: int = 0
    toxic: int = 0
    types: Counter[str] | None = None
    chars: Counter[int] | None = None

    def majority(self, count: int) -> bool:
        """More than half of the comment's raters."""
        return 2 * count > self.raters

    def spans(self) -> list[tuple[int, int]]:
        """Runs of characters most raters marked, as (start, end)."""
        marked = sorted(c for c, n in (self.chars or Counter()).items() if self.majority(n))
        runs: list[tuple[int, int]] = []
        for c in marked:
            if runs and runs[-1][1] == c:
                runs[-1] = (runs[-1][0], c + 1)
            else:
                runs.append((c, c + 1))
        return runs


def read(folder: Path) -> list[Rated]:
    """Every comment of the set with its raters' verdicts, in file order."""
    with (folder / "comments.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rated = {row["comment_id"]: Rated(row["comment_text"] or "") for row in reader}
    rater_of: dict[str, str] = {}
    with (folder / "annotations.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            comment = rated[row["comment_id"]]
            comment.raters += 1
            comment.toxic += row["not toxic"] != "True"
            rater_of[row["annotation"]] = row["comment_id"]
    types: dict[str, set[tuple[str, str]]] = defaultdict(set)
    chars: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    with (folder / "spans.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            comment_id = rater_of[row["annotation"]]
            if row["type"][:4] in SPAN_LABELS:
                types[comment_id].add((row["annotation"], SPAN_LABELS[row["type"][:4]]))
            chars[comment_id][row["annotation"]].update(range(int(row["start"]), int(row["end"])))
    for comment_id, comment in rated.items():
        comment.types = Counter(label for _, label in types.get(comment_id, set()))
        comment.chars = Counter(c for marked in chars.get(comment_id, {}).values() for c in marked)
    return list(rated.values())


def rows(folder: Path) -> Iterator[dict[str, str]]:
    """The comments as corpus rows: ``comment_text`` and a 0/1 column per label."""
    for comment in read(folder):
        row = {"comment_text": comment.text, "toxicity": str(int(comment.majority(comment.toxic)))}
        for label in SPAN_LABELS.values():
            row[label] = str(int(comment.majority((comment.types or Counter())[label])))
        yield row
