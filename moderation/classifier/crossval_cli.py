"""What ``moderation model crossval`` runs: folds (cached), the rules on them, the table."""

from __future__ import annotations

from pathlib import Path

from moderation.classifier.corpora import load_corpus
from moderation.classifier.crossval import assemble, fold_plan, run_folds
from moderation.classifier.crossval_report import CrossSource, plain, report
from moderation.classifier.rescore import changes, rescore
from moderation.classifier.train import TrainConfig, stderr_progress
from moderation.classifier.vectorize import load_lexicon


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


def rescore_file(data: Path, rules_dir: Path, protocol: str, file: Path, output: Path) -> str:
    """The rules in ``rules_dir`` on ``file``'s stored scores, saved to ``output``; the table."""
    before = CrossSource.load(file)
    after = rescore(load_corpus(data), before, rules_dir, fold_plan(protocol))
    output.parent.mkdir(parents=True, exist_ok=True)
    after.save(output)
    title = f"cross-source validation, rules {rules_dir} on the scores of {file}"
    return f"{title}\n{plain(report(after))}\n\n{changes(before, after)}\nwrote {output}"
