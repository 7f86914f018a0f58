"""Priority semantics, recorded hits, flags, default, and spans on the original text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.contracts import CommentFacts, RuleHit
from moderation.rules.engine import Ruleset, decide
from tests.rules.conftest import ruleset_from

RULES = """
lists:
  insults: [connard, con]
rules:
  - {id: insult, if: {body: {words: "@insults"}}, then: review, reason: insult}
  - {id: caps, if: {body: {caps_ratio: ">= 0.8"}}, then: flag, reason: shouting, priority: 7}
  - {id: link, if: {body: {has_link: true}}, then: reject, reason: spam}
  - {id: veteran, if: {author: {approved_count: ">= 10"}}, then: approve, priority: 5}
  - {id: premod, if: {author: {sanction: premoderate}}, then: review, priority: 5, reason: premod}
  - {id: off, if: {body: {length: ">= 0"}}, then: reject, enabled: false}
"""


PIECES = [
    "connnnard", "c o n", "C.O.N", "c0n", "​", "l’", "qu'", "https://bit.ly/x", "06 12 34 56 78",
    "a@b.fr", "ÉTÉ", "œ", "сon", "!", "fils de pute", "je vais te buter", "2020", "5", "...", "\n",
]  # fmt: skip


def evaluate(body: str, approved: int = 0, sanctions: tuple[str, ...] = ()) -> object:
    from moderation.contracts import AuthorFacts

    facts = CommentFacts(
        body=body, author=AuthorFacts(approved_count=approved, sanctions=sanctions)
    )
    return ruleset_from(RULES).evaluate(facts)


def test_no_match_gives_default() -> None:
    verdict = evaluate("Merci")
    assert (verdict.action, verdict.rule_id, verdict.reason, verdict.hits) == (
        "approve",
        None,
        None,
        (),
    )


def test_default_can_be_set() -> None:
    ruleset = ruleset_from("default: review\nrules: []\n")
    assert ruleset.evaluate(CommentFacts(body="x")).action == "review"


def test_tie_on_priority_goes_to_the_more_severe_action() -> None:
    verdict = evaluate("quel connard, voir https://x.org")
    assert (verdict.action, verdict.rule_id, verdict.reason) == ("reject", "link", "spam")
    assert [h.rule_id for h in verdict.hits] == ["insult", "link"]  # every match recorded


def test_highest_priority_decides_even_when_milder() -> None:
    verdict = evaluate("quel connard, voir https://x.org", approved=12)
    assert (verdict.action, verdict.rule_id) == ("approve", "veteran")
    assert {h.rule_id for h in verdict.hits} == {"insult", "link", "veteran"}


def test_equal_priority_approve_and_review_review_wins() -> None:
    verdict = evaluate("bonjour", approved=12, sanctions=("premoderate",))
    assert (verdict.action, verdict.rule_id, verdict.reason) == ("review", "premod", "premod")


def test_flag_labels_and_raises_priority_without_deciding() -> None:
    verdict = evaluate("QUEL CONNARD")
    assert (verdict.action, verdict.rule_id) == ("review", "insult")
    assert verdict.labels == ("shouting",)
    assert verdict.priority == 7
    only_flag = evaluate("BONJOUR À TOUS")
    assert (only_flag.action, only_flag.rule_id, only_flag.labels) == (
        "approve",
        None,
        ("shouting",),
    )


def test_disabled_rules_never_match() -> None:
    assert all(h.rule_id != "off" for h in evaluate("x").hits)


def test_spans_point_into_the_original_text() -> None:
    body = "Franchement, t’es qu’un C.O.N.N.A.R.D\u200b et un con"
    verdict = evaluate(body)
    (hit,) = [h for h in verdict.hits if h.rule_id == "insult"]
    assert [m.text for m in hit.matches] == ["C.O.N.N.A.R.D", "con"]
    for m in hit.matches:
        assert m.field == "body"
        assert body[m.start : m.end] == m.text


def test_reason_defaults_to_rule_id() -> None:
    ruleset = ruleset_from("rules:\n  - {id: bare, if: {body: {length: '> 0'}}, then: review}\n")
    assert ruleset.evaluate(CommentFacts(body="x")).reason == "bare"


@pytest.mark.parametrize(
    ("hits", "action", "rule"),
    [
        ([("a", "approve", 0), ("b", "review", 0), ("c", "reject", 0)], "reject", "c"),
        ([("a", "approve", 1), ("b", "reject", 0)], "approve", "a"),
        ([("a", "flag", 100)], "approve", None),
        ([("a", "review", -5)], "review", "a"),
        ([("a", "review", 3), ("b", "review", 3)], "review", "a"),
    ],
)
def test_decide(hits: list[tuple[str, str, int]], action: str, rule: str | None) -> None:
    verdict = decide([RuleHit(i, a, p) for i, a, p in hits])  # type: ignore[arg-type]
    assert (verdict.action, verdict.rule_id) == (action, rule)
    assert verdict.priority == max(p for _, _, p in hits)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300) | st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join))
def test_arbitrary_text_never_crashes_and_spans_stay_inside(
    default_ruleset: Ruleset, body: str
) -> None:
    verdict = default_ruleset.evaluate(CommentFacts(body=body, language="fr"))
    for hit in verdict.hits:
        for m in hit.matches:
            assert 0 <= m.start < m.end <= len(body)
            assert body[m.start : m.end] == m.text
