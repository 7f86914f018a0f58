"""Which words pushed a label's score up, as spans of the original comment.

Every feature's contribution to the label's log-odds (its TF-IDF value times its weight)
is spread evenly over the characters its occurrences cover, lexicon hits over the words
they matched; a word's weight is the sum over its characters. The best words, and
neighbouring best words merged into phrases, are the explanation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from moderation.classifier.features import Folded, fold_tracked, word_spans
from moderation.classifier.vectorize import LEXICON_FILES, lexicon_features
from moderation.contracts import Explanation, Span

if TYPE_CHECKING:
    from moderation.classifier.model import LinearModel

TOP = 3  # words per label
MIN_SHARE = 0.2  # a word under this share of the best word's weight is noise, not a reason
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\S+")


def _occurrences(model: LinearModel, text: str) -> np.ndarray:
    """(column, start, end) of every n-gram occurrence with a column, in folded characters."""
    vectorizer = model.vectorizer
    words = vectorizer.word_vocab
    tokens = word_spans(text)
    found = [(words.get(t), a, b) for t, a, b in tokens]
    found += [(words.get(f"{t} {u}"), a, e) for (t, a, _), (u, _, e) in pairwise(tokens)]
    hits = [hit for hit in found if hit[0] is not None]
    for match in _TOKEN.finditer(text):
        start = match.start()
        hits += [(j, start + a, start + b) for j, a, b in vectorizer.token_hits(match.group())]
    return np.array(hits, dtype=np.int64).reshape(-1, 3)


def _label_weights(model: LinearModel, rows: np.ndarray, language: str) -> np.ndarray:
    """Weights of the given stored rows for every label, in ``language``."""
    n = len(model.labels)
    both: np.ndarray = model.weights[rows]
    fr: np.ndarray = both[:, :n]
    en: np.ndarray = both[:, n:]
    if language in ("fr", "en"):
        return fr if language == "fr" else en
    mean: np.ndarray = (fr + en) / 2
    return mean


def _feature_density(
    model: LinearModel, folded: Folded, language: str, labels: list[int]
) -> np.ndarray:
    """Per label and folded character boundary, the change in n-gram contribution density."""
    size = len(folded.text) + 1
    delta = np.zeros((len(labels), size))
    occ = _occurrences(model, folded.text)
    if len(occ):
        cols, values = model.vectorizer.entries([folded.text])[1:]
        value = values[np.searchsorted(cols, occ[:, 0])]
        share = value / np.bincount(occ[:, 0])[occ[:, 0]] / (occ[:, 2] - occ[:, 1])
        per = _label_weights(model, model.rows[occ[:, 0]], language)[:, labels] * share[:, None]
        for k in range(len(labels)):
            delta[k] = np.bincount(occ[:, 1], per[:, k], size) - np.bincount(
                occ[:, 2], per[:, k], size
            )
    return delta


def _lexicon_spans(model: LinearModel, text: str) -> list[list[tuple[int, int]]]:
    """Per lexicon language, the folded spans of the terms that matched."""
    tokens = word_spans(text)
    spans: list[list[tuple[int, int]]] = [[] for _ in LEXICON_FILES]
    for n in (1, 2, 3):
        for i in range(len(tokens) - n + 1):
            gram = " ".join(t for t, _, _ in tokens[i : i + n])
            for k, lang in enumerate(LEXICON_FILES):
                if gram in model.lexicon.get(lang, frozenset()):
                    spans[k].append((tokens[i][1], tokens[i + n - 1][2]))
    return spans


def _add_lexicon(
    model: LinearModel, folded: Folded, language: str, labels: list[int], delta: np.ndarray
) -> None:
    n = len(model.labels)
    weights = model.lexicon_weights
    weights = {"fr": weights[:, :n], "en": weights[:, n:]}.get(
        language, (weights[:, :n] + weights[:, n:]) / 2
    )[:, labels]
    row = lexicon_features([folded.text], model.lexicon)[0]
    for k, spans in enumerate(_lexicon_spans(model, folded.text)):
        total = row[2 * k : 2 * k + 2] @ weights[2 * k : 2 * k + 2]
        for a, b in spans:
            delta[:, a] += total / len(spans) / (b - a)
            delta[:, b] -= total / len(spans) / (b - a)


def _top_spans(words: list[tuple[int, int]], weight: np.ndarray) -> list[tuple[int, int, float]]:
    """The best positive words of one label; neighbours among them merge into a phrase."""
    best = sorted((i for i in range(len(words)) if weight[i] > 0), key=lambda i: -weight[i])
    best = [i for i in best[:TOP] if weight[i] >= MIN_SHARE * weight[best[0]]]
    groups: list[list[int]] = []
    for i in sorted(best):
        if groups and groups[-1][-1] == i - 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    spans = [(words[g[0]][0], words[g[-1]][1], float(sum(weight[i] for i in g))) for g in groups]
    return sorted(spans, key=lambda s: -s[2])


def explain(
    model: LinearModel, text: str, language: str, labels: Sequence[str]
) -> tuple[Explanation, ...]:
    """Top words or phrases raising each of ``labels``, with spans in the original ``text``."""
    folded = fold_tracked(text)
    wanted = [model.labels.index(label) for label in labels]
    delta = _feature_density(model, folded, language, wanted)
    _add_lexicon(model, folded, language, wanted, delta)
    density = np.cumsum(delta, axis=1)
    cumulative = np.hstack([np.zeros((len(wanted), 1)), np.cumsum(density, axis=1)])
    words = [m.span() for m in _WORD.finditer(folded.text)]
    bounds = np.array(words, dtype=np.int64).reshape(-1, 2)
    out = []
    for k, label in enumerate(labels):
        weight = cumulative[k, bounds[:, 1]] - cumulative[k, bounds[:, 0]]
        for a, b, total in _top_spans(words, weight):
            start, end = folded.span(a, b)
            span = Span(field="body", start=start, end=end, text=text[start:end])
            out.append(Explanation(label=label, span=span, weight=total))
    return tuple(out)
