"""Spot checks: a ruleset that approves with rule hits, moderators, an app sampling all."""

from __future__ import annotations

import pytest

from tests.helpers import ROOT, reconfigure

MODELS = ROOT / "models"
# "zut" approves with a recorded hit (flag), "douteux" holds: only approvals are spot-checked.
RULES = """
default: approve
rules:
  - id: mild-word
    description: "Langage familier (art. 9)"
    if: {body: {words: [zut]}}
    then: flag
    reason: mild
  - id: doubtful
    if: {body: {words: [douteux]}}
    then: review
    reason: insult
"""


@pytest.fixture
def spot_checking(app, tmp_path):
    """Every automatic approval is spot-checked; the repository's model scores."""
    (tmp_path / "rules" / "house.yaml").write_text(RULES)
    reconfigure(app, SPOT_CHECK_RATE=1.0, MODELS_DIR=str(MODELS))
    return app


@pytest.fixture
def house(spot_checking):
    """The shared moderators (alice, bob) on the spot-checking app."""
    return spot_checking


@pytest.fixture
def site(spot_checking, site):
    """The shared signed site, on the spot-checking app."""
    return site
