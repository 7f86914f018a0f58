"""The functional suite's table: tallies, aggregates, targets, and rules decide's path."""

from __future__ import annotations

import json
from typing import Any

import pytest

from moderation.rules.loader import compile_ruleset
from moderation.scoring.decide import decide_lines
from moderation.training import functional
from moderation.training.functional import Tally


def case(functionality: str, label: str = "hateful", ident: str = "x") -> dict[str, Any]:
    return {"id": ident, "text": "t", "label": label, "functionality": functionality,
            "group": None, "template": "t", "language": "fr"}  # fmt: skip


CASES = [
    case("threat_direct"),
    case("threat_direct"),
    case("threat_direct"),
    case("threat_direct"),
    case("negated_hate", "non-hateful"),
    case("negated_hate", "non-hateful"),
    case("abuse_object", "non-hateful"),
]
ACTIONS = ["approve", "flag", "review", "reject", "reject", "approve", "review"]


def test_held_is_review_or_reject_and_rejected_only_reject() -> None:
    tallies = functional.by_functionality(CASES, ACTIONS)
    assert list(tallies) == ["threat_direct", "negated_hate", "abuse_object"]
    assert tallies["threat_direct"] == Tally(n=4, held=2, rejected=1)
    assert tallies["negated_hate"] == Tally(n=2, held=1, rejected=1)
    assert tallies["threat_direct"].share("held") == 0.5
    assert tallies["threat_direct"].share("rejected") == 0.25
    assert Tally().share("held") == 0.0


def test_the_target_counts_neutral_positive_and_counter_speech_only() -> None:
    totals = functional.aggregates(CASES, ACTIONS)
    assert totals[functional.HATEFUL] == Tally(4, 2, 1)
    assert totals[functional.SCOPED] == Tally(2, 1, 1)
    assert totals[functional.OTHER] == Tally(3, 2, 1)


def test_groups_count_hateful_and_scoped_non_hateful_cases() -> None:
    cases = [{**c, "group": "women"} for c in CASES]
    cases[0]["group"] = None
    tallies = functional.by_group(cases, ACTIONS)
    assert tallies == {
        ("women", functional.HATEFUL): Tally(3, 2, 1),
        ("women", functional.SCOPED): Tally(2, 1, 1),
    }


def test_targets_say_whether_each_is_met() -> None:
    totals = {
        functional.HATEFUL: Tally(100, 90, 3),
        functional.SCOPED: Tally(100, 21, 1),
        functional.OTHER: Tally(200, 50, 5),
    }
    lines = functional.target_lines("fr", totals)
    assert lines == [
        "  hateful caught >= 0.90: 0.900 (met)",
        "  non-hateful flagged <= 0.20: 0.210 (NOT met)",
        "  non-hateful rejected <= 0.01: 0.010 (met)",
    ]
    assert functional.target_lines("en", totals) == []


def test_the_table_has_dev_held_out_and_both() -> None:
    decided = {"dev": (CASES[:4], ACTIONS[:4]), "heldout": (CASES[4:], ACTIONS[4:])}
    text = functional.render("fr", decided)
    cells = {
        line.split()[0]: [cell.split() for cell in line.split("|")[1:]]
        for line in text.splitlines()
        if line.startswith(("threat", "negated"))
    }
    dev_only = ["4", "0.500", "0.250"]
    assert cells["threat_direct"] == [dev_only, ["0", "0.000", "0.000"], dev_only]
    assert cells["negated_hate"][1:] == [["2", "0.500", "0.500"], ["2", "0.500", "0.500"]]
    tail = text.split("targets, all:")[1]
    assert tail.splitlines()[1] == "  hateful caught >= 0.90: 0.500 (NOT met)"


RULES = """
rules:
  - {id: hate, if: {body: {words: [vermine]}}, then: reject, reason: hate}
  - {id: soft, if: {body: {words: [déteste]}}, then: review, reason: insult}
default: approve
"""


@pytest.mark.parametrize("scorer", [lambda: None])
def test_actions_are_what_rules_decide_prints(scorer: Any) -> None:
    ruleset = compile_ruleset({"house.yaml": RULES}, {})
    texts = ["Les X, c'est de la vermine.", "Je déteste les X.", "Bonjour à tous."]
    cases = [{**case("derogation_emotion", ident=str(i)), "text": t} for i, t in enumerate(texts)]
    lines = [json.dumps({"id": c["id"], "body": c["text"], "language": "fr"}) for c in cases]
    expected = [line["action"] for line in decide_lines(lines, ruleset, scorer)]
    assert functional.decide(cases, ruleset, scorer) == expected == ["reject", "review", "approve"]
