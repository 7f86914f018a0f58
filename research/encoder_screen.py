"""``python -m research.encoder_screen LOSO_FILE``: would an encoder help, leaving one source out?

A cheap screen before a full ``research.crossval --encoder``: beside the n-gram model's
leave-one-source-out scores (a ``--protocol loso`` file of the corpus as it was, 13
sources), a logistic regression per label on the encoder's vectors is fitted on each
fold's training rows, and the two are averaged (probabilities, or log-odds with the
vectors' share ``w``). Prints harm AUC / caught at 10 % clean flagged per source.
"""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from moderation.training.corpora import SOURCES, TRAIN, load_corpus, split
from moderation.training.crossreport import is_spam_source
from moderation.training.crosssource import HARM, CrossSource, targets
from moderation.training.embeddings import embed
from research.crossval import training_rows


def encoder_scores(cs: CrossSource, data: Path, engine: str, c: float) -> np.ndarray:
    """Per held-out row, the encoder regression's probabilities from its own fold."""
    names = list(dict.fromkeys(cs.sources.tolist()))
    corpus = load_corpus(data, tuple(s for s in SOURCES if s.name in names))
    vectors = embed(engine, corpus.texts)
    if vectors is None or len(corpus) != len(cs.sources):
        raise click.ClickException("the file does not hold this corpus's rows")
    out = np.full_like(cs.model, np.nan)
    for name in names:
        rest = training_rows(corpus, (name,))
        part = split(corpus.subset(rest), 42) == TRAIN
        x, y = vectors[rest][part], corpus.y[rest][part]
        held = corpus.sources == name
        for j in range(y.shape[1]):
            known = ~np.isnan(y[:, j])
            fit = LogisticRegression(C=c, max_iter=2000).fit(x[known], y[known, j])
            out[cs.sources == name, j] = fit.predict_proba(vectors[held])[:, 1]
    return out


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    odds: np.ndarray = np.log(q / (1 - q))
    return odds


def table(cs: CrossSource, mixes: dict[str, np.ndarray]) -> str:
    """AUC / caught at 10 % clean flagged per harm source and language mean, per mix."""
    lines = ["source | " + " | ".join(mixes)]
    means: dict[str, list[list[tuple[float, float]]]] = {"fr": [], "en": []}
    for source in sorted(set(cs.sources.tolist()), key=lambda s: (s.endswith("_en"), s)):
        rows = cs.sources == source
        if is_spam_source(cs, source):
            continue
        positive, clean = targets(cs.y[rows], False)
        cells = []
        for scores in mixes.values():
            harm = scores[rows][:, HARM].max(axis=1)
            cut = np.quantile(harm[clean], 0.9)
            cells.append(
                (float(roc_auc_score(positive, harm)), float((harm[positive] > cut).mean()))
            )
        means[str(cs.languages[rows][0])].append(cells)
        lines.append(f"{source} | " + " | ".join(f"{a:.3f} / {b:.3f}" for a, b in cells))
    for lang, got in means.items():
        if not got:
            continue
        mean = np.mean(np.array(got), axis=0)
        lines.append(f"{lang} mean | " + " | ".join(f"{a:.3f} / {b:.3f}" for a, b in mean))
    return "\n".join(lines)


@click.command()
@click.argument("loso", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default="../shared/data")
@click.option("--encoder", "engine", default="use-m3", show_default=True)
@click.option("-c", "c", type=float, default=1.0, show_default=True, help="The regression's C.")
def main(loso: Path, data: Path, engine: str, c: float) -> None:
    """Screen an encoder beside the n-gram model's leave-one-source-out scores."""
    cs = CrossSource.load(loso)
    vectors = encoder_scores(cs, data, engine, c)
    mixes = {"n-grams": cs.model, "encoder": vectors, "mean": (cs.model + vectors) / 2}
    for w in (0.3, 0.4, 0.5):
        mixes[f"log-odds w={w}"] = (1 - w) * _logit(cs.model) + w * _logit(vectors)
    click.echo(table(cs, mixes))


if __name__ == "__main__":
    main()
