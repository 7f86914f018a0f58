"""Blind audits: a ruleset that approves with rule hits, moderators, an app sampling all."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import reconfigure
from tests.queue.conftest import alice, bob  # noqa: F401 (the queue tests' moderators)

MODELS = Path(__file__).resolve().parents[2] / "models"
# "zut" approves with a recorded hit (flag), "douteux" holds: only approvals are audited.
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
def audited(app, tmp_path):
    """Every automatic approval is audited; the repository's model scores."""
    (tmp_path / "rules" / "house.yaml").write_text(RULES)
    reconfigure(app, AUDIT_RATE=1.0, MODELS_DIR=str(MODELS))
    return app


@pytest.fixture
def house(audited):
    """The queue tests' moderators (alice, bob) on the auditing app."""
    return audited


@pytest.fixture
def site(audited, site):
    """The shared signed site, on the auditing app."""
    return site
