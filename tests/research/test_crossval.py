"""Cross-source validation: whole sources held out, cached folds, the rules on held-out rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from moderation.contracts import LABELS
from moderation.rules.loader import compile_ruleset
from moderation.training.corpora import LINK_STANDIN, SOURCES, Corpus
from moderation.training.crossreport import plain, report
from moderation.training.crosssource import ACTIONS, CrossSource
from research import crossval
from research.crossval import assemble, fold_plan, run_folds, training_rows
from research.pipeline_eval import decide_rows, neutral_body
from tests.fixtures.tinymodel import FAST, LEXICON, synthetic_cross_source

PLAN = (("tox_fr", "hate_en"),)
RULES = """
rules:
  - {id: words, if: {body: {words: [connard]}}, then: review, reason: insult}
  - {id: toxic, if: {score: {toxicity: review}}, then: review, reason: toxic}
  - {id: link, if: {body: {has_link: true}}, then: review, reason: links}
default: approve
"""


def test_the_grouped_folds_hold_out_every_source_exactly_once() -> None:
    held = [name for fold in fold_plan("grouped") for name in fold]
    assert sorted(held) == sorted(source.name for source in SOURCES)
    assert [len(fold) for fold in fold_plan("loso")] == [1] * len(SOURCES)
    with pytest.raises(ValueError, match="unknown protocol"):
        fold_plan("random")


def test_training_rows_leave_out_held_sources_and_their_group_mates(corpus: Corpus) -> None:
    groups = list(corpus.groups)
    first_tox = int(np.flatnonzero(corpus.sources == "tox_fr")[0])
    mate = int(np.flatnonzero(corpus.sources == "full_fr")[0])
    groups[mate] = groups[first_tox]  # the same comment in a kept source
    shared = Corpus(corpus.texts, corpus.sources, corpus.languages, groups, corpus.y)
    keep = training_rows(shared, ("tox_fr",))
    assert not keep[shared.sources == "tox_fr"].any()
    assert not keep[mate]
    assert keep.sum() == len(corpus) - (corpus.sources == "tox_fr").sum() - 1


def _rules_dir(tmp_path: Path, name: str) -> Path:
    (tmp_path / "rules").mkdir(exist_ok=True)
    (tmp_path / "rules" / "house.yaml").write_text(RULES.replace("review}", f"{name}}}"), "utf-8")
    return tmp_path / "rules"


def test_folds_are_cached_and_score_only_held_out_rows(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, quiet = tmp_path / "cache", lambda message: None
    (result,) = run_folds(corpus, dict(LEXICON), cache, PLAN, FAST, quiet)
    assert result is not None
    assert set(corpus.sources[result.rows]) == {"tox_fr", "hate_en"}
    assert result.model.shape == (len(result.rows), len(LABELS))
    assert "fr" in result.thresholds

    def no_training(*args: object) -> None:
        raise AssertionError("a cached fold was trained again")

    monkeypatch.setattr(crossval, "run_fold", no_training)
    (again,) = run_folds(corpus, dict(LEXICON), cache, PLAN, FAST, quiet)
    assert again is not None
    np.testing.assert_allclose(again.model, result.model)

    # One fold has no other folds to set operating points on: the model's own thresholds.
    cs = assemble(corpus, [again], _rules_dir(tmp_path, "likely"), operating=False)
    assert len(cs.y) == len(result.rows)
    saved = tmp_path / "cs.npz"
    cs.save(saved)
    table = plain(report(CrossSource.load(saved)))
    assert "tox_fr" in table and "fr (mean of sources)" in table


def test_placeholder_links_are_neutral_and_scores_decide_through_named_thresholds() -> None:
    ruleset = compile_ruleset({"house.yaml": RULES}, {}, known_thresholds={"toxicity": ["review"]})
    texts = [f"voir {LINK_STANDIN}", "un avis poli", "un avis poli", "espèce de connard"]
    scores = np.zeros((4, len(LABELS)))
    scores[1, LABELS.index("toxicity")] = 0.95
    table = {"fr": {"toxicity": {"review": 0.9}}, "pooled": {}}
    actions = decide_rows(texts, ["fr"] * 4, scores, table, ruleset)
    assert [ACTIONS[a] for a in actions] == ["approve", "review", "approve", "review"]
    assert neutral_body(f"a {LINK_STANDIN} b http://t.co/x1Yz c") == "a b c"
    real_link = decide_rows(["https://x.example/a"], ["fr"], scores[:1], table, ruleset)
    assert ACTIONS[real_link[0]] == "review"  # a real link still counts


def test_report_counts_caught_and_clean_flagged_per_source() -> None:
    cs = synthetic_cross_source()
    toxic = cs.y[:, LABELS.index("toxicity")] == 1
    cs.actions[toxic] = ACTIONS.index("review")
    cs.actions[np.flatnonzero(~toxic)[:10]] = ACTIONS.index("reject")
    rep = report(cs)
    fr = rep["languages"]["fr"]["all"]
    assert fr["caught"] == 1.0
    assert fr["clean flagged"] == pytest.approx(10 / (~toxic).sum())
    assert fr["clean rejected"] == fr["clean flagged"]
    assert 0.9 < fr["model AUC"] <= 1.0
