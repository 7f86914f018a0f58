"""The shipped classifier: one linear model per language over TF-IDF and lexicon features.

Training stacks two logistic regressions per label and a per-language combiner; all of
it is linear in the features, so it collapses into the weight matrices held here and a
comment costs one sparse product, whatever was stacked. A model trained with a sentence
encoder (``encoder.py``) adds one product of the comment's vector with its own weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from moderation.classifier.calibration import Platt
from moderation.classifier.encoder import Encoder, Scheme, encoder
from moderation.classifier.explain import explain
from moderation.classifier.features import fold
from moderation.classifier.vectorize import Vectorizer, lexicon_features
from moderation.contracts import Explanation, ModelOutput
from moderation.text.language import detect_language

LANGUAGES = ("fr", "en")  # languages with their own weights; anything else is "und"
POOLED = "pooled"
Thresholds = dict[str, dict[str, dict[str, float | None]]]


def normalize_language(language: str | None) -> str:
    """``fr``, ``en`` or ``und`` from a detected language or a site hint."""
    code = (language or "").strip().lower()[:2]
    return code if code in LANGUAGES else "und"


@dataclass
class LinearModel:
    """A loaded classifier implementing the ``Scorer`` protocol."""

    labels: tuple[str, ...]
    vectorizer: Vectorizer
    lexicon: dict[str, frozenset[str]]
    rows: np.ndarray  # feature column -> row of ``weights`` (the last row is all zeros)
    weights: np.ndarray  # (rows, languages * labels): French columns, then English
    lexicon_weights: np.ndarray  # (lexicon columns, languages * labels)
    bias: np.ndarray  # (languages * labels,)
    calibration: dict[str, dict[str, Platt]]  # language or "pooled" -> label -> Platt
    threshold_table: Thresholds  # language or "pooled" -> label -> name -> threshold
    info: dict[str, object] = field(default_factory=dict)
    version: str = "unsaved"
    encoder_scheme: Scheme | None = None  # the engine trained with, None without one
    encoder_weights: np.ndarray | None = None  # (encoder dimensions, languages * labels)

    def logits(
        self, texts: Sequence[str], languages: Sequence[str], vectors: np.ndarray | None = None
    ) -> np.ndarray:
        """Uncalibrated log-odds, shape (texts, labels).

        ``vectors`` are the texts' encoder vectors when already computed (training).
        """
        folded = [fold(text) for text in texts]
        rows, cols, values = self.vectorizer.entries(folded)
        # Columns without a stored weight all point at the final all-zero row.
        contributions = self.weights[self.rows[cols]] * values[:, None].astype(np.float32)
        lexicon = lexicon_features(folded, self.lexicon)
        both = lexicon @ self.lexicon_weights
        if len(rows):
            present, starts = np.unique(rows, return_index=True)
            both[present] += np.add.reduceat(contributions, starts, axis=0)
        both += self.bias
        if self.encoder_weights is not None:
            if vectors is None:
                vectors = self.text_encoder().encode(texts)
            both += vectors @ self.encoder_weights
        n = len(self.labels)
        fr, en = both[:, :n], both[:, n:]
        is_fr = np.array([lang == "fr" for lang in languages])[:, None]
        is_en = np.array([lang == "en" for lang in languages])[:, None]
        # Undetermined language: the mean of both languages' log-odds.
        mixed: np.ndarray = np.where(is_fr, fr, np.where(is_en, en, (fr + en) / 2))
        return mixed

    def text_encoder(self) -> Encoder:
        """The model's sentence encoder (loaded once per process)."""
        if self.encoder_scheme is None:
            raise ValueError(f"model {self.version} has no encoder")
        return encoder(str(self.encoder_scheme["engine"]))

    def calibrate(self, logits: np.ndarray, languages: Sequence[str]) -> np.ndarray:
        """Calibrated scores in [0, 1] from logits, per label and language."""
        scores = np.empty_like(logits)
        langs = np.asarray(languages, dtype=object)
        for language in set(languages):
            mask = langs == language
            fits = self.calibration.get(language, {})
            for j, label in enumerate(self.labels):
                platt = fits.get(label) or self.calibration[POOLED][label]
                scores[mask, j] = platt(logits[mask, j])
        return scores

    def score_many(
        self, texts: list[str], languages: list[str] | None = None, explain: bool = True
    ) -> list[ModelOutput]:
        """Score a batch of texts, in order; explanations only above ``likely``."""
        hints: list[str | None] = list(languages) if languages else [None] * len(texts)
        langs = [
            normalize_language(lang) if lang else detect_language(text)
            for text, lang in zip(texts, hints, strict=True)
        ]
        if not texts:
            return []
        scores = self.calibrate(self.logits(texts, langs), langs)
        outputs = []
        for text, lang, row in zip(texts, langs, scores, strict=True):
            named = dict(zip(self.labels, (float(s) for s in row), strict=True))
            why = self._explain(text, lang, named) if explain else ()
            outputs.append(ModelOutput(scores=named, language=lang, explanations=why))
        return outputs

    def score(self, text: str, language: str | None = None, explain: bool = True) -> ModelOutput:
        """Score one text; ``language`` is the detected language if known."""
        return self.score_many([text], [language] if language else None, explain)[0]

    def thresholds(self, language: str) -> Mapping[str, Mapping[str, float]]:
        """Named thresholds per label; pooled ones for a label the language has no data for.

        Thresholds never reached on validation are left out, so rules using them never fire.
        """
        own = self.threshold_table.get(normalize_language(language), {})
        pooled = self.threshold_table.get(POOLED, {})
        table: dict[str, dict[str, float]] = {}
        for label in self.labels:
            named = own.get(label, pooled.get(label, {}))
            table[label] = {name: t for name, t in named.items() if t is not None}
        return table

    def _explain(
        self, text: str, language: str, scores: Mapping[str, float]
    ) -> tuple[Explanation, ...]:
        limits = self.thresholds(language)
        flagged = [
            label
            for label in self.labels
            if "likely" in limits[label] and scores[label] >= limits[label]["likely"]
        ]
        return explain(self, text, language, flagged) if flagged else ()
