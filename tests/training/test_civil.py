"""The news-site comments with raters' spans: labels by majority, spans to check explanations."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from moderation.classifier.model import LinearModel
from moderation.contracts import LABELS
from moderation.training import civil, span_check
from moderation.training.corpora import SOURCES, load_corpus

CIVIL = next(s for s in SOURCES if s.name == civil.NAME)
COMMENTS = [
    (1, "You are a stupid idiot and should leave."),
    (2, "Nice article, thanks."),
    (3, "I will kill you, moron."),
]
# (annotation, comment, not toxic): three raters for comment 1 and 3, two for comment 2.
ANNOTATIONS = [(0, 1, False), (1, 1, False), (2, 1, True), (3, 2, True), (4, 2, False)]
ANNOTATIONS += [(5, 3, False), (6, 3, False), (7, 3, False)]
# (annotation, type, start, end): "stupid idiot" is 10..22; "kill" 7..11; "moron" 17..22.
SPANS = [(0, "Insult", 10, 22), (1, "Insu", 17, 22), (2, "Insult", 10, 16)]
SPANS += [(4, "Insult", 0, 4), (5, "Threat", 7, 11), (6, "Threat", 2, 11), (7, "Insult", 17, 22)]


def write_set(root: Path) -> Path:
    folder = root / civil.NAME
    folder.mkdir(parents=True)
    lines = ["comment_id,comment_text", *(f'{i},"{text}"' for i, text in COMMENTS)]
    (folder / "comments.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    head = "annotation,comment_id,worker,country,all toxic,not toxic"
    rows = [f"{a},{c},{a},USA,False,{n}" for a, c, n in ANNOTATIONS]
    (folder / "annotations.csv").write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    spans = ["annotation,type,start,end", *(f"{a},{t},{s},{e}" for a, t, s, e in SPANS)]
    (folder / "spans.csv").write_text("\n".join(spans) + "\n", encoding="utf-8")
    return root


def test_labels_are_what_most_raters_said(tmp_path: Path) -> None:
    corpus = load_corpus(write_set(tmp_path), (CIVIL,))
    col = {label: corpus.y[:, LABELS.index(label)].tolist() for label in LABELS}
    assert col["toxicity"] == [1, 0, 1]  # comment 2: one of two raters is not a majority
    assert col["insult"] == [1, 0, 0]  # the truncated type "Insu" counts as an insult
    assert col["threat"] == [0, 0, 1]
    assert col["identity_attack"] == [0, 0, 0] and col["obscene"] == [0, 0, 0]
    assert np.isnan(col["spam"]).all() and np.isnan(col["severe_toxicity"]).all()


def test_marked_characters_are_the_majority_s(tmp_path: Path) -> None:
    marked = span_check.marked_comments(write_set(tmp_path))
    assert [(m.text, m.spans) for m in marked] == [
        # "stupid" by all three raters, "idiot" by two; the space between by one only.
        (COMMENTS[0][1], ((10, 16), (17, 22))),
        (COMMENTS[2][1], ((7, 11),)),  # "kill": two of three; "moron" by one only
    ]


def test_explanations_are_scored_against_the_marked_words(model: LinearModel) -> None:
    text = "you stupid idiot"
    said = {(e.span.start, e.span.end) for e in model.score(text, "en").explanations}
    assert said
    exact = span_check.Marked(text, tuple(sorted(said)))
    elsewhere = span_check.Marked(text + " ok", ((len(text) + 1, len(text) + 3),))
    clean = span_check.Marked("thanks for this article", ((0, 6),))
    found = span_check.overlap(model, [exact, clean])
    assert found["comments"] == 2 and found["explained"] == 1  # the clean one is not explained
    assert found["precision"] == found["char_f1"] == found["hit_rate"] == 1.0
    missed = span_check.overlap(model, [elsewhere])
    assert missed["precision"] == missed["char_f1"] == missed["hit_rate"] == 0.0
    assert "1 of 2" in span_check.text(found)
