"""Cross-source validation: every source is scored by a model that never saw any of it.

The sources are cut into folds of whole sources (``FOLDS``, or one source per fold with
``loso``). For each fold the real training code (split, stack, calibration, named
thresholds) runs on the other sources, minus rows that share a group with a held-out
row (the translated Jigsaw comments and their English originals), and the held-out
rows are scored by the artifact exactly as it would ship. Each fold is cached in its
own file, keyed by what it depends on, so an interrupted or repeated run only trains
the folds it lacks.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from moderation.classifier.features import FEATURES_VERSION
from moderation.classifier.model import Thresholds
from moderation.rules.loader import load_ruleset
from moderation.training.baseline import baseline_scores
from moderation.training.corpora import SOURCES, Corpus
from moderation.training.crosssource import CrossSource
from moderation.training.embeddings import embed
from moderation.training.operating import nested_tables
from moderation.training.train import Progress, TrainConfig, knobs, train
from research.pipeline_eval import decide_rows, known_names

#: Whole-source folds. Each holds out French and English sources, and keeps in training
#: every label's annotating sources (spam: one of SMS / YouTube; severe_toxicity and
#: obscene: one of the two Jigsaw sets), so every fold trains the shipped label set.
FOLDS: tuple[tuple[str, ...], ...] = (
    ("toxifrench_forum", "cyberagressionado_fr", "davidson_en", "sms_spam_en"),
    ("mlma_fr", "toxifrench_hateday", "tweeteval_offensive_en", "youtube_spam_en"),
    ("ftr_fr", "toxifrench_rtp", "jigsaw_subset_en"),
    ("jigsaw_translated_fr", "tweeteval_hate_en", "civil_comments_spans_en"),
)


def fold_plan(protocol: str) -> tuple[tuple[str, ...], ...]:
    """``grouped`` (the four folds above) or ``loso`` (leave one source out)."""
    if protocol == "grouped":
        return FOLDS
    if protocol == "loso":
        return tuple((source.name,) for source in SOURCES)
    raise ValueError(f"unknown protocol {protocol!r}: expected 'grouped' or 'loso'")


@dataclass
class FoldResult:
    """Held-out rows of one fold (indices into the loaded corpus) and their scores."""

    rows: np.ndarray
    model: np.ndarray  # calibrated scores, (rows, labels)
    baseline: np.ndarray  # baseline log-odds (NaN when not computed)
    thresholds: Thresholds  # the fold model's own named thresholds (in-fold validation)

    def save(self, path: Path) -> None:
        """One compressed file, no pickle (the thresholds as JSON text)."""
        np.savez_compressed(
            path,
            rows=self.rows,
            model=self.model.astype(np.float32),
            baseline=self.baseline.astype(np.float32),
            thresholds=np.array(json.dumps(self.thresholds, sort_keys=True)),
        )

    @classmethod
    def load(cls, path: Path) -> FoldResult:
        """What ``save`` wrote."""
        with np.load(path, allow_pickle=False) as data:
            table = json.loads(str(data["thresholds"]))
            return cls(data["rows"], data["model"], data["baseline"], table)


def fold_key(corpus_digest: str, held: tuple[str, ...], config: TrainConfig) -> str:
    """What a fold's model depends on: data, held-out sources, training knobs, features.

    Not whether the baseline was fitted: a fold cached without it shows ``-`` for it.
    """
    recorded = knobs(replace(config, baseline=False))
    text = json.dumps([corpus_digest, held, recorded, FEATURES_VERSION], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def training_rows(corpus: Corpus, held: tuple[str, ...]) -> np.ndarray:
    """Rows of the other sources that share no group with a held-out row."""
    out = np.isin(corpus.sources, held)
    held_groups = {corpus.groups[i] for i in np.flatnonzero(out)}
    shared = np.array([group in held_groups for group in corpus.groups])
    keep: np.ndarray = ~out & ~shared
    return keep


def run_fold(
    corpus: Corpus,
    lexicon: dict[str, frozenset[str]],
    held: tuple[str, ...],
    config: TrainConfig,
    progress: Progress,
) -> FoldResult:
    """Train on everything but ``held`` (and its group-mates) and score ``held``."""
    rest = corpus.subset(training_rows(corpus, held))
    rows = np.flatnonzero(np.isin(corpus.sources, held))
    test = corpus.subset(np.isin(corpus.sources, held))
    progress(f"fold {'+'.join(held)}: training on {len(rest)} rows, scoring {len(test)}")
    trained = train(rest, lexicon, replace(config, baseline=False), progress)
    model, langs = trained.model, list(test.languages)
    vectors = embed(config.encoder, test.texts, progress)
    scores = model.calibrate(model.logits(test.texts, langs, vectors), langs)
    base = np.full_like(scores, np.nan)
    if config.baseline:
        base = baseline_scores(rest.texts, rest.y, test.texts, progress)
    return FoldResult(rows, scores, base, model.threshold_table)


def corpus_digest(corpus: Corpus) -> str:
    """sha256 of the loaded corpus (texts, sources, labels)."""
    digest = hashlib.sha256()
    for text, source in zip(corpus.texts, corpus.sources, strict=True):
        digest.update(f"{source}\t{text}\n".encode())
    digest.update(np.nan_to_num(corpus.y, nan=-1).astype(np.int8).tobytes())
    return digest.hexdigest()


def run_folds(
    corpus: Corpus,
    lexicon: dict[str, frozenset[str]],
    cache: Path,
    plan: tuple[tuple[str, ...], ...],
    config: TrainConfig,
    progress: Progress,
    only: int | None = None,
) -> list[FoldResult | None]:
    """Every fold of ``plan``, from the cache when there; ``only`` trains just that fold."""
    cache.mkdir(parents=True, exist_ok=True)
    digest = corpus_digest(corpus)
    results: list[FoldResult | None] = []
    for k, held in enumerate(plan):
        path = cache / f"fold-{fold_key(digest, held, config)}.npz"
        if path.exists():
            results.append(FoldResult.load(path))
        elif only is None or only == k:
            result = run_fold(corpus, lexicon, held, config, progress)
            result.save(path)
            results.append(result)
        else:
            results.append(None)
    return results


def assemble(
    corpus: Corpus, results: list[FoldResult], rules_dir: Path, operating: bool = True
) -> CrossSource:
    """Every held-out row with its scores and the rules' action on it.

    With ``operating``, each fold's rules use operating points set on the other folds
    (``operating.nested_tables``), else the fold model's own named thresholds.
    """
    tests = [corpus.subset(np.isin(np.arange(len(corpus)), r.rows)) for r in results]
    bases = [r.thresholds for r in results]
    # The rules as with no model installed: named thresholds never fire.
    alone = [
        _decide(test, np.zeros_like(r.model), {}, rules_dir)
        for test, r in zip(tests, results, strict=True)
    ]
    cs = CrossSource(
        np.concatenate([t.y for t in tests]),
        np.concatenate([t.sources for t in tests]),
        np.concatenate([t.languages for t in tests]),
        np.concatenate([np.full(len(t), k) for k, t in enumerate(tests)]),
        np.concatenate([r.model for r in results]),
        np.concatenate([r.baseline for r in results]),
        np.concatenate(alone),
        np.concatenate(alone),
    )
    tables = nested_tables(cs, bases) if operating else bases
    cs.actions = np.concatenate(
        [
            _decide(test, r.model, table, rules_dir)
            for test, r, table in zip(tests, results, tables, strict=True)
        ]
    )
    return cs


def _decide(test: Corpus, scores: np.ndarray, table: Thresholds, rules_dir: Path) -> np.ndarray:
    ruleset = load_ruleset(rules_dir, known_thresholds=known_names(table) if table else None)
    return decide_rows(test.texts, list(test.languages), scores, table, ruleset)
