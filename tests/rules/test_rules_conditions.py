"""Every condition of SPEC §6, its comparisons, and all/any/not nesting."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from moderation.contracts import AuthorFacts, CommentFacts
from moderation.durations import parse_duration
from moderation.rules.values import parse_comparison
from tests.rules.conftest import ruleset_from

LISTS = "lists:\n  insults: [con, connard, fils de pute]\n  shorteners: [bit.ly, t.co]\n"


def fires(condition: Any, facts: CommentFacts | None = None, **fields: Any) -> bool:
    """Whether a single rule with this condition matches the comment."""
    rule = {"id": "r", "if": condition, "then": "reject"}
    ruleset = ruleset_from(LISTS + "rules:\n  - " + json.dumps(rule, ensure_ascii=False) + "\n")
    verdict = ruleset.evaluate(facts or CommentFacts(**fields))
    return verdict.rule_id == "r"


SCUNTHORPE = [
    "Le conseil municipal",
    "La connexion est coupée",
    "Il habite à Mâcon",
    "Un flacon de parfum",
    "Une conférence de presse",
    "Le contrat est signé",
    "Un connardeau",
    "La consultation citoyenne",
    "Il fait beau à Condom",
    "Le Concorde",
    "Des flocons de neige",
    "Le Balcon",
    "Un économiste",
]


@pytest.mark.parametrize("body", SCUNTHORPE)
def test_words_have_no_scunthorpe_errors(body: str) -> None:
    assert not fires({"body": {"words": "@insults"}}, body=body)


@pytest.mark.parametrize(
    "body",
    [
        "quel con",
        "Quel CON !",
        "t'es qu'un c o n",
        "c.o.n.n.a.r.d",
        "espèce de c0nn4rd",
        "connnnnard",
        "l’connard",
        "FILS   DE\tPUTE",
        "fils-de-pute",
        "con\u200bnard",
        "сonnard",
    ],
)
def test_words_catch_evasions(body: str) -> None:
    assert fires({"body": {"words": "@insults"}}, body=body)


def test_emphasis_variant_needs_real_emphasis() -> None:
    # "cone" is the squeezed form of "conne" and also the folded "cône": only emphasis counts.
    assert fires({"body": {"words": ["conne"]}}, body="connnnne")
    assert not fires({"body": {"words": ["conne"]}}, body="un cône")


def test_phrases_and_inline_terms() -> None:
    assert fires({"body": {"phrases": ["je vais te buter"]}}, body="J’vais… non : je vais te BUTER")
    assert not fires({"body": {"phrases": ["je vais te buter"]}}, body="je vais te butiner")


def test_regex_is_case_insensitive_and_unifies_apostrophes() -> None:
    assert fires({"body": {"regex": "j'vais te (tuer|buter)"}}, body="J’VAIS TE BUTER")
    assert not fires({"body": {"regex": "^merci$"}}, body="merci beaucoup")


@pytest.mark.parametrize(
    ("check", "body", "links", "expected"),
    [
        ({"has_link": True}, "voir https://example.org/x", (), True),
        ({"has_link": True}, "voir www.example.org", (), True),
        ({"has_link": True}, "voir lemonde.fr", (), True),
        ({"has_link": True}, "rien ici. Vraiment.", (), False),
        ({"has_link": True}, "html", ("https://example.org",), True),
        ({"has_link": False}, "rien ici", (), True),
        ({"link_domains": "@shorteners"}, "go http://bit.ly/abc", (), True),
        ({"link_domains": "@shorteners"}, "go https://sub.t.co/abc", (), True),
        ({"link_domains": "@shorteners"}, "go https://notbit.ly/abc", (), False),
        ({"link_domains": ["example.org"]}, "x", ("https://www.example.org/a",), True),
    ],
)
def test_links(check: dict[str, Any], body: str, links: tuple[str, ...], expected: bool) -> None:
    assert fires({"body": check}, body=body, links=links) is expected


@pytest.mark.parametrize(
    ("check", "body", "expected"),
    [
        ({"length": "> 10"}, "court", False),
        ({"length": "> 10"}, "un peu plus long", True),
        ({"length": 5}, "court", True),
        ({"caps_ratio": ">= 0.7"}, "C'EST SCANDALEUX", True),
        ({"caps_ratio": ">= 0.7"}, "C'est scandaleux", False),
        ({"caps_ratio": "> 0"}, "1234 !!", False),
        ({"has_email": True}, "écrivez à jean@example.org", True),
        ({"has_email": True}, "jean [at] example [dot] com", True),
        ({"has_email": True}, "rendez-vous @ 10h", False),
        ({"has_email": False}, "rien", True),
        ({"has_phone": True}, "au 06 12 34 56 78", True),
        ({"has_phone": True}, "au 06.12.34.56.78", True),
        ({"has_phone": True}, "au +33 6 12 34 56 78", True),
        ({"has_phone": True}, "en 2019 2020 2021 2022", False),
        ({"has_phone": True}, "le 06.12.2020 à 10 h", False),
        ({"has_phone": True}, "+5 000 000 000 d'euros", False),
    ],
)
def test_body_checks(check: dict[str, Any], body: str, expected: bool) -> None:
    assert fires({"body": check}, body=body) is expected


def test_language() -> None:
    assert fires({"body": {"language": "fr"}}, body="x", language="fr")
    assert fires({"body": {"language": ["en", "fr"]}}, body="x", language="fr")
    assert not fires({"body": {"language": "en"}}, body="x", language="fr")


@pytest.mark.parametrize(
    ("check", "author", "expected"),
    [
        ({"source": "facebook"}, AuthorFacts(source="facebook"), True),
        ({"source": ["google", "apple"]}, AuthorFacts(source="facebook"), False),
        ({"email_verified": True}, AuthorFacts(email_verified=True), True),
        ({"email_verified": False}, AuthorFacts(email_verified=None), False),
        ({"account_age_days": "> 30 days"}, AuthorFacts(account_age_days=31), True),
        ({"account_age_days": "> 2 weeks"}, AuthorFacts(account_age_days=10), False),
        ({"account_age_days": "< 1"}, AuthorFacts(account_age_days=None), False),
        ({"account_age_days": "< 24h"}, AuthorFacts(account_age_days=0.5), True),
        ({"trust": ">= 2"}, AuthorFacts(trust=2), True),
        ({"approved_count": "< 3"}, AuthorFacts(approved_count=2), True),
        ({"approved_count": "== 0"}, AuthorFacts(approved_count=1), False),
        ({"rejected_count": "!= 0"}, AuthorFacts(rejected_count=1), True),
        ({"rejection_rate": ">= 0.5"}, AuthorFacts(approved_count=1, rejected_count=1), True),
        ({"rejection_rate": "> 0"}, AuthorFacts(), False),
        ({"sanctioned": True}, AuthorFacts(sanctions=("premoderate",)), True),
        ({"sanctioned": True}, AuthorFacts(sanctions=("trust",)), False),
        ({"sanction": "ban"}, AuthorFacts(sanctions=("ban",)), True),
        ({"sanction": ["ban", "suspend"]}, AuthorFacts(sanctions=("premoderate",)), False),
    ],
)
def test_author_checks(check: dict[str, Any], author: AuthorFacts, expected: bool) -> None:
    assert fires({"author": check}, body="x", author=author) is expected


def test_score_comparisons_and_missing_labels() -> None:
    assert fires({"score": {"threat": ">= 0.85"}}, body="x", scores={"threat": 0.9})
    assert not fires({"score": {"threat": ">= 0.85"}}, body="x", scores={"threat": 0.8})
    assert fires({"score": {"insult": "< 0.1"}}, body="x", scores={})  # unspecified labels are 0


def test_named_thresholds_use_the_comments_language_values() -> None:
    rule = "{id: r, if: {score: {toxicity: likely}}, then: reject}"
    ruleset = ruleset_from(
        f"rules:\n  - {rule}\n", known_thresholds={"toxicity": ["likely", "very_likely"]}
    )
    thresholds = {"toxicity": {"likely": 0.7, "very_likely": 0.9}}
    hit = CommentFacts(body="x", scores={"toxicity": 0.75}, thresholds=thresholds)
    assert ruleset.evaluate(hit).rule_id == "r"
    assert (
        ruleset.evaluate(
            CommentFacts(body="x", scores={"toxicity": 0.6}, thresholds=thresholds)
        ).rule_id
        is None
    )
    # No threshold for this language: the model cannot vouch, the rule does not fire.
    assert ruleset.evaluate(CommentFacts(body="x", scores={"toxicity": 0.99})).rule_id is None


def test_article_and_comment_checks() -> None:
    assert fires(
        {"article": {"section": "International"}}, body="x", article_section="international"
    )
    assert not fires({"article": {"section": "sport"}}, body="x", article_section=None)
    assert fires({"article": {"tags": ["otan"]}}, body="x", article_tags=("Iran", "OTAN"))
    assert fires({"comment": {"is_reply": True}}, body="x", is_reply=True)
    assert not fires({"comment": {"is_reply": True}}, body="x")
    assert fires({"comment": {"revision": "> 1"}}, body="x", revision=2)


class CountingHistory:
    """History that counts look-ups, to prove laziness."""

    def __init__(self, same_body: int = 0, rate: int = 1, flags: float = 0.0) -> None:
        self.same_body, self.rate, self.flags = same_body, rate, flags
        self.calls: list[tuple[str, timedelta | None]] = []

    def same_body_count(self, within: timedelta) -> int:
        self.calls.append(("same_body", within))
        return self.same_body

    def author_comment_count(self, within: timedelta) -> int:
        self.calls.append(("rate", within))
        return self.rate

    def flags_weight(self) -> float:
        self.calls.append(("flags", None))
        return self.flags


def test_history_checks() -> None:
    history = CountingHistory(same_body=2, rate=6, flags=3.5)
    facts = CommentFacts(body="x", history=history)
    assert fires({"history": {"same_body_within": "10 minutes"}}, facts)
    assert fires({"history": {"same_body_within": {"within": "1h", "count": ">= 2"}}}, facts)
    assert fires({"history": {"author_rate": "> 5 per 10 minutes"}}, facts)
    assert not fires({"history": {"author_rate": {"count": "> 6", "within": "1 day"}}}, facts)
    assert fires({"history": {"flags": ">= 3"}}, facts)
    assert ("same_body", timedelta(minutes=10)) in history.calls
    assert ("rate", timedelta(days=1)) in history.calls


def test_history_is_lazy_and_asked_once_per_window() -> None:
    history = CountingHistory(rate=10)
    rules = [
        {
            "id": "a",
            "if": {
                "all": [
                    {"history": {"author_rate": "> 5 per 10 minutes"}},
                    {"body": {"words": ["zzz"]}},
                ]
            },
            "then": "review",
        },
        {"id": "b", "if": {"history": {"author_rate": "> 8 per 10 minutes"}}, "then": "review"},
        {"id": "c", "if": {"history": {"author_rate": "> 9 per 10 min"}}, "then": "flag"},
    ]
    ruleset = ruleset_from("rules: " + json.dumps(rules))
    verdict = ruleset.evaluate(CommentFacts(body="bonjour", history=history))
    assert verdict.rule_id == "b"
    # Rule a fails on its cheap body check first; b and c share one look-up.
    assert history.calls == [("rate", timedelta(minutes=10))]


def test_all_any_not_nesting() -> None:
    condition = {
        "all": [
            {"any": [{"author": {"approved_count": "< 3"}}, {"author": {"source": "facebook"}}]},
            {"not": {"body": {"has_link": False}}},
            {"not": {"any": [{"article": {"section": "sport"}}]}},
        ]
    }
    assert fires(
        condition, body="https://x.org", author=AuthorFacts(approved_count=10, source="facebook")
    )
    assert not fires(condition, body="no link", author=AuthorFacts(approved_count=0))
    assert not fires(condition, body="https://x.org", article_section="sport")
    assert fires(
        {"body": {"words": ["con"], "length": "< 20"}}, body="quel con"
    )  # keys combine with all
    assert not fires({"body": {"words": ["con"], "length": "> 20"}}, body="quel con")


@pytest.mark.parametrize(
    ("text", "op", "value"),
    [
        ("< 3", "<", 3),
        (">=0.85", ">=", 0.85),
        ("== 0", "==", 0),
        ("!= 2", "!=", 2),
        (" > 1.5 ", ">", 1.5),
        (4, "==", 4),
    ],
)
def test_parse_comparison(text: Any, op: str, value: float) -> None:
    cmp = parse_comparison(text)
    assert (cmp.op, cmp.value) == (op, value)


@pytest.mark.parametrize("text", ["<< 3", "3 <", "< three", "", "> 30 days", True, "=> 2"])
def test_parse_comparison_rejects(text: Any) -> None:
    with pytest.raises(ValueError, match="malformed comparison"):
        parse_comparison(text)


def test_comparison_with_duration_units() -> None:
    assert parse_comparison("> 30 days", unit_seconds=86400).value == 30
    assert parse_comparison("< 12h", unit_seconds=86400).value == 0.5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 minutes", timedelta(minutes=10)),
        ("24h", timedelta(hours=24)),
        ("30 days", timedelta(days=30)),
        ("1 week", timedelta(weeks=1)),
        ("90s", timedelta(seconds=90)),
        ("2 jours", timedelta(days=2)),
        ("10min", timedelta(minutes=10)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["ten minutes", "10 fortnights", "10", ""])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="malformed duration"):
        parse_duration(text)
