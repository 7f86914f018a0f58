"""The default rules cut model scores at the model's named thresholds, so a new model moves them."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from moderation.classifier.model import LinearModel
from moderation.contracts import LABELS
from moderation.rules.loader import load_ruleset
from moderation.rules.schema import NAMED_THRESHOLDS
from moderation.training.crosssource import ACTIONS
from research.pipeline_eval import decide_rows, known_names

RULES = Path(__file__).resolve().parents[2] / "rules"


def _score_conditions(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if isinstance(node.get("score"), dict):
            yield node["score"]
        for value in node.values():
            yield from _score_conditions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _score_conditions(value)


def test_default_rules_name_the_models_thresholds() -> None:
    found = []
    for path in sorted(RULES.glob("*.yaml")):
        for rule in yaml.safe_load(path.read_text()).get("rules", []):
            for condition in _score_conditions(rule.get("if")):
                found += [(rule["id"], label, value) for label, value in condition.items()]
    assert found, "the default rules use the model's scores"
    numbers = [f for f in found if str(f[2]).strip() not in NAMED_THRESHOLDS]
    assert numbers == []


def _decide(model_table: dict[str, Any], language: str, scores: dict[str, float]) -> str:
    ruleset = load_ruleset(RULES, known_thresholds=known_names(model_table))
    row = np.array([[scores.get(label, 0.0) for label in LABELS]])
    text = {"fr": "Un texte sur la réforme", "en": "A text about the reform"}[language]
    action = decide_rows([text], [language], row, model_table, ruleset)
    return ACTIONS[int(action[0])]


def test_a_model_whose_thresholds_move_moves_the_decisions(model: LinearModel) -> None:
    table = copy.deepcopy(dict(model.threshold_table))
    for own in table.values():
        for named in own.values():
            named["review"] = 0.5
    scores = {"toxicity": 0.6}
    assert _decide(table, "fr", scores) == "review"
    raised = copy.deepcopy(table)
    raised["fr"]["toxicity"]["review"] = 0.7
    assert _decide(raised, "fr", scores) == "approve"
    # Per language: English keeps its own cut-off.
    assert _decide(raised, "en", scores) == "review"
