"""The plain baseline the model must beat, trained on the same rows in the same run."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from moderation.training.stack import Progress


def baseline_scores(
    train_texts: list[str], y: np.ndarray, eval_texts: list[str], progress: Progress
) -> np.ndarray:
    """TF-IDF word 1-2-grams + char 2-5-grams, one logistic regression per label.

    Returns log-odds for ``eval_texts`` (only rankings are compared, so uncalibrated).
    """
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    char = TfidfVectorizer(analyzer="char", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    x = sp.hstack([word.fit_transform(train_texts), char.fit_transform(train_texts)], "csr")
    x_eval = sp.hstack([word.transform(eval_texts), char.transform(eval_texts)], "csr")
    progress(f"baseline: {x.shape[1]} features")
    scores = np.zeros((len(eval_texts), y.shape[1]))
    for j in range(y.shape[1]):
        known = ~np.isnan(y[:, j])
        fit = LogisticRegression(C=1.0, max_iter=1000).fit(x[known], y[known, j])
        scores[:, j] = fit.decision_function(x_eval)
    progress("baseline: fitted")
    return scores
