"""TF-IDF features (word 1-2-grams, in-word character 2-5-grams of folded text), lexicon hits.

Training counts n-grams with scikit-learn and weighs them with ``training.vocabulary.tfidf``;
scoring counts them with ``Vectorizer.entries``, the same formula on arrays (the tests hold
them equal).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import numpy as np
import scipy.sparse as sp

from moderation.classifier.features import lexicon_ngrams, token_ngrams, word_ngrams

#: Lexicon files under the data folder's ``wordlists/``, by language.
LEXICON_FILES = {
    "fr": ("french-badwords-list/list.txt", "ldnoobw/fr", "ldnoobw/fr-CA-u-sd-caqc"),
    "en": ("ldnoobw/en",),
}
LEXICON_COLUMNS = 4  # per language: log(1 + hits), any hit

_CACHE_LIMIT = 200_000  # distinct tokens remembered per model (a few tens of MB at most)
_CACHE_TOKEN = 40  # longer tokens are rare and not worth remembering


@dataclass
class Vectorizer:
    """Vocabularies (character columns follow word columns) and IDF weights."""

    word_vocab: dict[str, int]
    char_vocab: dict[str, int]
    idf: np.ndarray
    # Character n-grams stay within a token, so a token's columns can be remembered.
    _tokens: dict[str, list[int]] = field(default_factory=dict, repr=False, compare=False)
    _hits: dict[str, list[tuple[int, int, int]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def n_features(self) -> int:
        """Number of columns."""
        return len(self.idf)

    def _token_columns(self, token: str) -> list[int]:
        found = self._tokens.get(token)
        if found is None:
            found = [j for j in map(self.char_vocab.get, token_ngrams(token)) if j is not None]
            self._remember(self._tokens, token, found)
        return found

    @staticmethod
    def _remember(cache: dict[str, Any], token: str, value: Any) -> None:
        if len(token) <= _CACHE_TOKEN:
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()  # crude, but bounded; the common tokens come back at once
            cache[token] = value

    def token_hits(self, token: str) -> list[tuple[int, int, int]]:
        """(column, start, end) of a token's character n-grams, offsets within the token."""
        hits = self._hits.get(token)
        if hits is None:
            hits = self._find_hits(token)
            self._remember(self._hits, token, hits)
        return hits

    def _find_hits(self, token: str) -> list[tuple[int, int, int]]:
        hits = []
        padded = f" {token} "
        for n in range(2, 6):
            for i in range(len(padded) - n + 1):
                column = self.char_vocab.get(padded[i : i + n])
                if column is not None:
                    # The padding spaces stand for the token's edges.
                    hits.append((column, max(0, i - 1), min(len(token), i - 1 + n)))
        return hits

    def columns(self, folded: str) -> list[int]:
        """Columns of one folded text's n-grams, once per occurrence."""
        grams = word_ngrams(folded)
        found = [j for j in map(self.word_vocab.get, grams) if j is not None]
        for token in folded.split():
            found += self._token_columns(token)
        return found

    def entries(self, folded: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """TF-IDF as (row, column, value) arrays sorted by row then column."""
        found = [self.columns(text) for text in folded]
        cols = np.fromiter(chain.from_iterable(found), np.int64, sum(map(len, found)))
        rows = np.repeat(np.arange(len(folded)), [len(f) for f in found])
        keys, counts = np.unique(rows * self.n_features + cols, return_counts=True)
        rows, cols = np.divmod(keys, self.n_features)
        values = (1.0 + np.log(counts)) * self.idf[cols]
        block = rows * 2 + (cols >= len(self.word_vocab))
        norms = np.sqrt(np.bincount(block, values * values, minlength=2 * len(folded)))
        return rows, cols, values / norms[block]

    def transform(self, folded: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF features of folded texts as a sparse matrix."""
        rows, cols, values = self.entries(folded)
        shape = (len(folded), self.n_features)
        return sp.csr_matrix((values.astype(np.float32), (rows, cols)), shape=shape)


def lexicon_features(folded: Iterable[str], lexicon: Mapping[str, frozenset[str]]) -> np.ndarray:
    """Per text and lexicon language: log(1 + distinct hits) and whether any term hit."""
    rows = []
    for text in folded:
        grams = lexicon_ngrams(text)
        row = []
        for language in LEXICON_FILES:
            hits = len(grams & lexicon.get(language, frozenset()))
            row += [np.log1p(hits), float(hits > 0)]
        rows.append(row)
    return np.asarray(rows, dtype=np.float64).reshape(-1, LEXICON_COLUMNS)
