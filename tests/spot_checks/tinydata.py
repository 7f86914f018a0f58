"""A tiny stand-in for ../shared/data: every corpus file, 60 generated rows each, and word lists."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from moderation.training import civil
from moderation.training.corpora import SOURCES

CLEAN = {
    "fr": ["merci pour cet article", "je ne suis pas d'accord", "très bonne analyse", "bon match"],
    "en": ["thanks for this article", "i disagree", "a very good analysis", "great match"],
}
TOXIC = {
    "fr": ["espèce de connard", "t'es qu'un abruti", "je vais te tuer", "sales étrangers"],
    "en": ["you stupid idiot", "what a moron", "i will kill you", "dirty foreigners"],
}
SPAM = "win money now at www.prizes.example.com"
# Per corpus: the value its label columns take for a positive and a negative row.
_COLUMNS = {
    "jigsaw": (["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"], "1", "0"),
    "labeled_data.csv": (["class"], "1", "2"),
    "fr_dataset.csv": (["sentiment"], "offensive", "normal"),
    "cyberagressionado_v1.csv": (["VERBAL_ABUSE", "HATE_SPEECH"], "name_calling", "none"),
    "youtube_spam.csv": (["CLASS"], "1", "0"),
    "sms_spam.csv": (["label"], "spam", "ham"),
}


def _columns(file: str) -> tuple[list[str], str, str]:
    if file in ("jigsaw_toxic_subset.csv", "subset_jigsaw_fr.csv"):
        return _COLUMNS["jigsaw"]
    return _COLUMNS.get(file, (["label"], "1", "0"))


def _write_civil(folder: Path, rows: int, rng: random.Random) -> None:
    """The news-site set's three files: comments, one rater each, a span on every toxic one."""
    comments, annotations, spans = ["comment_id,comment_text"], [], ["annotation,type,start,end"]
    annotations.append("annotation,comment_id,worker,country,all toxic,not toxic")
    for i in range(rows):
        bad = i % 2 == 0
        text = rng.choice(TOXIC["en"] if bad else CLEAN["en"])
        comments.append(f'{i},"{text} {i}"')
        annotations.append(f"{i},{i},{i},USA,False,{not bad}")
        if bad:
            spans.append(f"{i},Insult,0,{len(text)}")
    for name, lines in (("comments", comments), ("annotations", annotations), ("spans", spans)):
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_tiny_data(root: Path, rows: int = 60, seed: int = 0) -> Path:
    """Write the corpora files training reads, with a learnable signal; return the folder."""
    rng = random.Random(seed)
    for source in SOURCES:
        folder = root / source.name
        folder.mkdir(parents=True)
        if source.name == civil.NAME:
            _write_civil(folder, rows, rng)
            continue
        labels, positive, negative = _columns(source.file)
        head = [source.text, *labels, *([source.group] if source.group else [])]
        with (folder / source.file).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(head)
            for i in range(rows):
                bad = i % 2 == 0
                pool = [SPAM] if "spam" in source.name else TOXIC[source.language]
                text = rng.choice(pool if bad else CLEAN[source.language])
                value = positive if bad else negative
                hate = ["yes" if bad else "no"] if "cyber" in source.name else []
                cells = [value] * (len(labels) - len(hate)) + hate
                writer.writerow(
                    [f"{text} {i}", *cells, *([f"{source.name}-{i}"] if source.group else [])]
                )
    lists = root / "wordlists"
    for name, words in (
        ("french-badwords-list/list.txt", "connard\nabruti\n"),
        ("ldnoobw/fr", "connard\n"),
        ("ldnoobw/fr-CA-u-sd-caqc", "tabarnak\n"),
        ("ldnoobw/en", "idiot\nmoron\n"),
    ):
        (lists / name).parent.mkdir(parents=True, exist_ok=True)
        (lists / name).write_text(words, encoding="utf-8")
    return root
