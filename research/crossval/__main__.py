"""``python -m research.crossval``: train the folds (cached), run the rules, print the table."""

from __future__ import annotations

from pathlib import Path

import click

from moderation.classifier import artifact
from moderation.classifier.encoder import ENGINES, NONE
from moderation.training.corpora import SOURCES, load_corpus
from moderation.training.crossreport import plain, report
from moderation.training.crosssource import CrossSource
from moderation.training.train import TrainConfig, stderr_progress
from moderation.training.vocabulary import load_lexicon
from research.crossval import assemble, fold_plan, run_folds
from research.rescore import changes, rescore

_DIR = click.Path(file_okay=False, path_type=Path)
# The service's own settings and defaults (moderation.config), read without an app.
_DATA, _RULES = ("MODERATION_DATA_DIR", "../shared/data"), ("MODERATION_RULES_DIR", "rules")


def crossval(
    data: Path,
    rules_dir: Path,
    cache: Path,
    protocol: str,
    only: int | None,
    output: Path,
    config: TrainConfig,
    operating: bool = True,
) -> str:
    """Train the missing folds, decide the held-out rows, save them; the table as text."""
    progress = stderr_progress()
    corpus = load_corpus(data)
    plan = fold_plan(protocol)
    lexicon = load_lexicon(data / "wordlists")
    results = run_folds(corpus, lexicon, cache, plan, config, progress, only)
    done = [r for r in results if r is not None]
    if len(done) < len(plan):
        return f"{len(done)} of {len(plan)} folds cached in {cache}; run the others"
    progress("folds ready; running the rules on the held-out rows")
    cs = assemble(corpus, done, rules_dir, operating)
    output.parent.mkdir(parents=True, exist_ok=True)
    cs.save(output)
    title = f"cross-source validation ({protocol}: {len(plan)} folds of whole sources)"
    return f"{title}\n{plain(report(cs))}\n\nwrote {output}"


def rescore_file(
    data: Path,
    rules_dir: Path,
    protocol: str,
    file: Path,
    output: Path,
    model: Path | None,
    operating: bool = False,
) -> str:
    """The rules in ``rules_dir`` on ``file``'s stored scores, saved to ``output``; the table."""
    before = CrossSource.load(file)
    # The model's own table is the base that operating points are added to, per fold.
    base = artifact.load(model).threshold_table if model else None
    # Only the file's sources: a file written before a source joined the corpus still replays.
    sources = tuple(s for s in SOURCES if s.name in set(before.sources))
    after = rescore(
        load_corpus(data, sources), before, rules_dir, fold_plan(protocol), base, operating
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    after.save(output)
    title = f"cross-source validation, rules {rules_dir} on the scores of {file}"
    return f"{title}\n{plain(report(after))}\n\n{changes(before, after)}\nwrote {output}"


@click.command()
@click.option(
    "--data", type=_DIR, envvar="MODERATION_DATA_DIR", default="../shared/data", show_default=True
)
@click.option("--protocol", type=click.Choice(["grouped", "loso"]), default="grouped")
@click.option("--only", type=int, help="Train only this fold (others from the cache).")
@click.option("--cache", type=_DIR, default="var/crossval", show_default=True)
@click.option(
    "--rules",
    "rules_dir",
    type=_DIR,
    envvar="MODERATION_RULES_DIR",
    default="rules",
    show_default=True,
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="[CACHE/PROTOCOL.npz]"
)
@click.option("--no-baseline", is_flag=True, help="Skip the TF-IDF + LR baseline per fold.")
@click.option(
    "--model-thresholds",
    is_flag=True,
    help="Rules use each fold model's own thresholds, not operating points from other folds.",
)
@click.option(
    "--rescore",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Only re-run the rules on this cross-source file's stored scores (no training).",
)
@click.option(
    "--thresholds-of",
    "model_dir",
    type=_DIR,
    help="With --rescore: a model folder whose thresholds the named rules use.",
)
@click.option(
    "--nested-operating",
    is_flag=True,
    help="With --thresholds-of: plus each fold's operating points set on the other folds.",
)
@click.option(
    "--min-df",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Keep n-grams found in at least this many training rows (2 shipped).",
)
@click.option(
    "--encoder",
    type=click.Choice([NONE, *ENGINES]),
    default=NONE,
    show_default=True,
    help="Sentence encoder engine beside TF-IDF (its folds are cached apart).",
)
@click.option("--seed", type=int, default=42, show_default=True)
def main(
    data: Path,
    protocol: str,
    only: int | None,
    cache: Path,
    rules_dir: Path,
    output: Path | None,
    no_baseline: bool,
    model_thresholds: bool,
    rescore: Path | None,
    model_dir: Path | None,
    nested_operating: bool,
    min_df: int,
    encoder: str,
    seed: int,
) -> None:
    """Cross-source validation: train without whole sources, score them, run the rules."""
    if rescore is not None:
        out = output or cache / f"{protocol}-rescored.npz"
        try:
            click.echo(
                rescore_file(data, rules_dir, protocol, rescore, out, model_dir, nested_operating)
            )
        except ValueError as exc:  # not this corpus's file, or rules it cannot replay
            raise click.ClickException(str(exc)) from exc
        return
    config = TrainConfig(seed=seed, baseline=not no_baseline, min_df=min_df, encoder=encoder)
    out = output or cache / (f"{protocol}.npz" if encoder == NONE else f"{protocol}-{encoder}.npz")
    click.echo(crossval(data, rules_dir, cache, protocol, only, out, config, not model_thresholds))


if __name__ == "__main__":
    main()
