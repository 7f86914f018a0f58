"""Re-running rules over a crossval file's stored scores, without training."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from moderation.contracts import LABELS
from moderation.rules.loader import load_ruleset
from moderation.training.corpora import Corpus
from moderation.training.crosssource import ACTIONS, CrossSource
from research.crossval import __main__ as crossval_cli
from research.pipeline_eval import decide_rows
from research.rescore import changes, held_out_rows, rescore

PLAN = (("tox_fr",), ("hate_en", "spam_en"))
REVIEW = """
rules:
  - {id: words, if: {body: {words: [connard, idiot]}}, then: review, reason: insult}
  - {id: toxic, if: {score: {toxicity: ">= 0.8"}}, then: review, reason: toxic}
default: approve
"""
TOXIC = LABELS.index("toxicity")


def _rules(tmp_path: Path, text: str, name: str = "rules") -> Path:
    (tmp_path / name).mkdir()
    (tmp_path / name / "house.yaml").write_text(text, "utf-8")
    return tmp_path / name


def _file(corpus: Corpus, rules: Path) -> CrossSource:
    """A crossval file as ``assemble`` stacks it, with random scores and ``rules``' actions."""
    parts = [np.flatnonzero(np.isin(corpus.sources, held)) for held in PLAN]
    rows = np.concatenate(parts)
    scores = np.random.default_rng(1).random((len(rows), len(LABELS)))
    ruleset = load_ruleset(rules, known_thresholds={})
    texts, languages = [corpus.texts[i] for i in rows], list(corpus.languages[rows])
    actions = decide_rows(texts, languages, scores, {}, ruleset)
    alone = decide_rows(texts, languages, np.zeros_like(scores), {}, ruleset)
    folds = np.concatenate([np.full(len(p), k) for k, p in enumerate(parts)])
    y, sources, langs = corpus.y[rows], corpus.sources[rows], corpus.languages[rows]
    return CrossSource(y, sources, langs, folds, scores, scores, actions, alone)


def test_rescore_replays_the_file_and_follows_changed_rules(corpus: Corpus, tmp_path: Path) -> None:
    cs = _file(corpus, _rules(tmp_path, REVIEW))
    same = rescore(corpus, cs, _rules(tmp_path, REVIEW, "same"), PLAN)
    np.testing.assert_array_equal(same.actions, cs.actions)
    np.testing.assert_array_equal(same.rules_only, cs.rules_only)
    assert changes(cs, same).startswith("0 of ")

    strict = REVIEW.replace("then: review, reason: insult", "then: reject, reason: insult")
    after = rescore(corpus, cs, _rules(tmp_path, strict, "strict"), PLAN)
    texts = [corpus.texts[i] for i in held_out_rows(corpus, cs, PLAN)]
    worded = np.array([("connard" in t) or ("idiot" in t) for t in texts])
    assert worded.any() and (~worded).any()
    assert (after.actions[worded] == ACTIONS.index("reject")).all()
    np.testing.assert_array_equal(after.actions[~worded], cs.actions[~worded])
    assert (after.rules_only[worded] == ACTIONS.index("reject")).all()
    moved = int(worded.sum() - (cs.actions[worded] == ACTIONS.index("reject")).sum())
    assert f"{moved} of {len(texts)} actions differ" in changes(cs, after)
    np.testing.assert_array_equal(after.model, cs.model)  # the scores are the file's


def test_rescore_refuses_other_rows_and_rules_naming_thresholds(
    corpus: Corpus, tmp_path: Path
) -> None:
    cs = _file(corpus, _rules(tmp_path, REVIEW))
    rules = tmp_path / "rules"
    with pytest.raises(ValueError, match="rows"):
        rescore(corpus, cs, rules, (("tox_fr",),))
    with pytest.raises(ValueError, match="sources or labels"):
        rescore(corpus, cs, rules, (("hate_en", "spam_en"), ("tox_fr",)))
    with pytest.raises(ValueError, match="folds"):
        rescore(corpus, cs, rules, (("tox_fr", "hate_en", "spam_en"),))
    named = _rules(tmp_path, REVIEW.replace('">= 0.8"', "likely"), "named")
    with pytest.raises(ValueError, match="no 'likely' threshold"):
        rescore(corpus, cs, named, PLAN)


def test_the_command_rescores_a_file_and_writes_the_new_one(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cs = _file(corpus, _rules(tmp_path, REVIEW))
    cs.save(tmp_path / "cs.npz")
    monkeypatch.setattr(crossval_cli, "load_corpus", lambda data, sources: corpus)
    monkeypatch.setattr(crossval_cli, "fold_plan", lambda protocol: PLAN)
    text = REVIEW.replace("then: review, reason: toxic", "then: reject, reason: toxic")
    strict = _rules(tmp_path, text, "strict")
    args = ["--data", str(tmp_path), "--rules", str(strict)]
    args += ["--rescore", str(tmp_path / "cs.npz"), "-o", str(tmp_path / "out.npz")]
    result = CliRunner().invoke(crossval_cli.main, args)
    assert result.exit_code == 0, result.output
    assert "tox_fr" in result.output and "review -> reject" in result.output
    out = CrossSource.load(tmp_path / "out.npz")
    toxic = cs.model[:, TOXIC] >= 0.8
    assert (out.actions[toxic] == ACTIONS.index("reject")).all()


def test_rules_naming_thresholds_replay_with_a_models_table(corpus: Corpus, tmp_path: Path) -> None:
    cs = _file(corpus, _rules(tmp_path, REVIEW))
    named = _rules(tmp_path, REVIEW.replace('">= 0.8"', "review"), "named")
    table = {lang: {"toxicity": {"review": 0.8}} for lang in ("fr", "en", "pooled")}
    same = rescore(corpus, cs, named, PLAN, table)
    assert np.array_equal(same.actions, cs.actions)
    table["fr"]["toxicity"]["review"] = 0.95
    moved = rescore(corpus, cs, named, PLAN, table)
    french = cs.languages == "fr"
    assert np.array_equal(moved.actions[~french], cs.actions[~french])
    assert (moved.actions[french] != cs.actions[french]).any()
