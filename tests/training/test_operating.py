"""Operating points: cut-offs set on held-out sources' clean comments, nested per fold."""

from __future__ import annotations

import numpy as np
import pytest

from moderation.contracts import LABELS
from moderation.training import civil, operating
from moderation.training.crosssource import ACTIONS
from moderation.training.operating import (
    choose_review,
    clean_held,
    nested_tables,
    operating_table,
    top_share_cutoff,
)
from tests.fixtures.tinymodel import synthetic_cross_source

BASE = {
    lang: {label: {"likely": 0.6, "very_likely": 0.7} for label in LABELS}
    for lang in ("fr", "en", "pooled")
}


def test_cutoff_weighs_rows_and_ties() -> None:
    values = np.array([1.0, 2.0, 3.0, 4.0])
    assert top_share_cutoff(values, np.ones(4), 0.5) == 3.0
    assert top_share_cutoff(values, np.array([10.0, 1.0, 1.0, 1.0]), 0.25) == 2.0
    assert top_share_cutoff(np.array([1.0, 2.0, 2.0]), np.ones(3), 0.5) > 2.0  # ties go together


def test_review_cut_offs_keep_clean_held_within_the_aim() -> None:
    cs = synthetic_cross_source()
    everything = np.ones(len(cs.y), dtype=bool)
    for aim in (0.02, 0.1, 0.2):
        cut = choose_review(cs, everything, aim)
        assert clean_held(cs, everything, cut) <= aim
        assert clean_held(cs, everything, {k: v - 0.02 for k, v in cut.items()}) > aim * 0.8


def test_the_budget_goes_to_the_labels_that_catch_harm() -> None:
    cs = synthetic_cross_source()
    everything = np.ones(len(cs.y), dtype=bool)
    noise = np.random.default_rng(1).random(len(cs.y))  # a label that ranks nothing
    cs.model[:, LABELS.index("obscene")] = noise
    cut = choose_review(cs, everything, 0.1)
    clean = cs.y[:, LABELS.index("toxicity")] == 0
    assert cut["obscene"] > noise[clean].max()  # it gets no share of the budget
    assert clean_held(cs, everything, cut) <= 0.1
    assert cut["toxicity"] < np.quantile(cs.model[clean, LABELS.index("toxicity")], 0.95)


def test_comments_picked_as_toxic_do_not_count_as_clean_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cs = synthetic_cross_source()
    everything = np.ones(len(cs.y), dtype=bool)
    picked = cs.sources == "s0_fr"
    cs.sources = cs.sources.astype(object)
    cs.sources[picked] = civil.NAME  # Toxic Spans: every comment was scored toxic first
    cs.model[picked & (cs.y[:, LABELS.index("toxicity")] == 0)] = 0.99  # hard negatives
    apart = choose_review(cs, everything, 0.1)
    monkeypatch.setattr(operating, "PICKED_AS_TOXIC", ())
    counted = choose_review(cs, everything, 0.1)
    assert apart["toxicity"] < counted["toxicity"]  # they would eat the whole budget


def test_word_rules_use_up_the_budget_first() -> None:
    cs = synthetic_cross_source()
    everything = np.ones(len(cs.y), dtype=bool)
    free = choose_review(cs, everything, 0.1)["toxicity"]
    cs.rules_only[::10] = ACTIONS.index("review")  # word rules hold a tenth of all rows
    assert choose_review(cs, everything, 0.1)["toxicity"] > free


def test_rejections_are_raised_to_the_clean_floor_but_never_switched_on() -> None:
    cs = synthetic_cross_source()
    base = {k: {label: dict(v) for label, v in t.items()} for k, t in BASE.items()}
    base["fr"]["identity_attack"]["very_likely"] = None
    table = operating_table(cs, np.ones(len(cs.y), dtype=bool), base)
    assert table["fr"]["threat"]["very_likely"] > 0.7  # clean scores reach 0.7 often here
    assert table["fr"]["identity_attack"]["very_likely"] is None
    assert table["fr"]["toxicity"]["likely"] == 0.6  # the precision thresholds stay
    assert {"review", "likely", "very_likely"} <= set(table["fr"]["toxicity"])
    assert base["fr"]["toxicity"] == {"likely": 0.6, "very_likely": 0.7}  # not mutated


def test_a_fold_s_cut_offs_ignore_its_own_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    cs = synthetic_cross_source()
    before = nested_tables(cs, [BASE] * 4)
    cs.model[cs.folds == 0] = 1.0  # fold 0 changes completely
    after = nested_tables(cs, [BASE] * 4)
    assert after[0] == before[0]
    assert after[1] != before[1]
    monkeypatch.setattr(operating, "AIM", {"fr": 0.0, "en": 0.0, "pooled": 0.0})
    strict = nested_tables(cs, [BASE] * 4)
    assert strict[1]["fr"]["toxicity"]["review"] >= after[1]["fr"]["toxicity"]["review"]
