"""The ceiling: the most one cut-off per source catches within the targets' clean budgets."""

from __future__ import annotations

import numpy as np
import pytest

from moderation.contracts import LABELS
from research.ceiling import caught_within, ceiling

TOX, SPAM = LABELS.index("toxicity"), LABELS.index("spam")


def test_the_cut_off_flags_no_more_clean_rows_than_the_budget_allows() -> None:
    clean = np.arange(10) / 10  # 0.0 ... 0.9
    positives = np.array([0.95, 0.9, 0.85, 0.8, 0.5])
    # 10% of 10 clean rows: one may be flagged, so the cut-off sits just above 0.8.
    assert caught_within(positives, clean, 0.10) == pytest.approx(3 / 5)
    assert caught_within(positives, clean, 0.0) == pytest.approx(1 / 5)  # above 0.9
    assert caught_within(positives, clean, 1.0) == 1.0
    assert np.isnan(caught_within(positives, clean[:0], 0.1))


def test_ties_at_the_cut_never_exceed_the_budget() -> None:
    clean = np.array([0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])
    positives = np.array([0.95, 0.9, 0.5])
    # Flagging any 0.9 flags three clean rows (30%): only scores above 0.9 count.
    assert caught_within(positives, clean, 0.2) == pytest.approx(1 / 3)
    assert caught_within(positives, clean, 0.3) == pytest.approx(1.0)


def test_per_source_with_the_languages_budget_and_spam_sets_left_out() -> None:
    n = 200
    y = np.full((3 * n, len(LABELS)), np.nan)
    harmful = np.tile(np.arange(n) % 2 == 0, 3)
    y[: 2 * n, TOX] = harmful[: 2 * n]
    y[2 * n :, SPAM] = harmful[2 * n :]  # a spam set: not a harm source
    sources = np.repeat(["a_fr", "b_en", "sms_en"], n)
    languages = np.repeat(["fr", "en", "en"], n)
    model = np.zeros_like(y)
    model[:, TOX] = np.where(harmful, 0.6, np.linspace(0, 1, 3 * n))  # clean spread evenly
    found = ceiling(y, sources, languages, np.nan_to_num(model))
    assert set(found["sources"]) == {"a_fr", "b_en"}
    fr, en = found["sources"]["a_fr"], found["sources"]["b_en"]
    assert (fr["harmful"], fr["clean"]) == (100, 100)
    # Source a's clean scores run 0 to 0.33: its harmful 0.6 sit above them all.
    assert fr["caught"] == 1.0 and found["languages"]["fr"] == 1.0
    # Source b's run 0.33 to 0.67: 0.6 is above 80% of them, more than the 8% budget allows.
    assert en["caught"] == 0.0
