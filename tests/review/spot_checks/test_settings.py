"""The spot check settings, and their former names still read as a deprecated fallback."""

from __future__ import annotations

import pytest

from moderation.config import Config


def test_the_new_names_win_and_the_old_ones_still_count(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RATE", "SALT"):
        monkeypatch.delenv(f"MODERATION_SPOT_CHECK_{name}", raising=False)
        monkeypatch.delenv(f"MODERATION_AUDIT_{name}", raising=False)
    assert (Config().SPOT_CHECK_RATE, Config().SPOT_CHECK_SALT) == (0.01, "")
    monkeypatch.setenv("MODERATION_AUDIT_RATE", "0.05")
    monkeypatch.setenv("MODERATION_AUDIT_SALT", "old pepper")
    assert (Config().SPOT_CHECK_RATE, Config().SPOT_CHECK_SALT) == (0.05, "old pepper")
    monkeypatch.setenv("MODERATION_SPOT_CHECK_RATE", "0.2")
    monkeypatch.setenv("MODERATION_SPOT_CHECK_SALT", "pepper")
    assert (Config().SPOT_CHECK_RATE, Config().SPOT_CHECK_SALT) == (0.2, "pepper")
