"""The shipped feature scheme learnt from training texts: vocabularies, IDF, the lexicon."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

from moderation.classifier.features import char_ngrams, fold, word_ngrams
from moderation.classifier.vectorize import LEXICON_FILES, Vectorizer


def tfidf(counts: sp.csr_matrix, idf: np.ndarray, n_word: int) -> sp.csr_matrix:
    """Sublinear TF times IDF, L2-normalised separately over word and character columns."""
    matrix = counts.astype(np.float32, copy=True)
    matrix.data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    is_word = matrix.indices < n_word
    block = rows * 2 + (~is_word)
    norms = np.sqrt(np.bincount(block, matrix.data**2, minlength=2 * matrix.shape[0]))
    matrix.data /= np.maximum(norms[block], 1e-12).astype(np.float32)
    return matrix


def _count(
    analyzer: Callable[[str], list[str]], folded: Sequence[str], min_df: int
) -> tuple[sp.csr_matrix, dict[str, int]]:
    vectorizer = CountVectorizer(analyzer=analyzer, min_df=min_df, dtype=np.float32)
    matrix = vectorizer.fit_transform(folded)
    return matrix.tocsr(), {str(k): int(v) for k, v in vectorizer.vocabulary_.items()}


def fit_vectorizer(folded: Sequence[str], min_df: int) -> tuple[Vectorizer, sp.csr_matrix]:
    """Learn vocabularies and IDF from folded training texts; return their TF-IDF matrix too."""
    words, word_vocab = _count(word_ngrams, folded, min_df)
    chars, char_vocab = _count(char_ngrams, folded, min_df)
    offset = len(word_vocab)
    char_vocab = {gram: j + offset for gram, j in char_vocab.items()}
    counts = sp.hstack([words, chars], format="csr")
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = (np.log((1 + len(folded)) / (1 + df)) + 1).astype(np.float32)
    return Vectorizer(word_vocab, char_vocab, idf), tfidf(counts, idf, offset)


def load_lexicon(wordlists: Path) -> dict[str, frozenset[str]]:
    """Folded terms of the shared bad-word lists, by language ('#' lines are comments)."""
    lexicon = {}
    for language, files in LEXICON_FILES.items():
        terms: set[str] = set()
        for name in files:
            lines = (wordlists / name).read_text(encoding="utf-8").splitlines()
            terms.update(fold(line).strip() for line in lines if not line.startswith("#"))
        lexicon[language] = frozenset(t for t in terms if t)
    return lexicon
