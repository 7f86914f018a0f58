"""Named patterns (``patterns:``, ``body: {pattern}``) and proximity (``body: {near}``)."""

from __future__ import annotations

import pytest

from moderation.rules.engine import Ruleset
from moderation.rules.loader import compile_ruleset, load_ruleset
from moderation.rules.matching import compile_regex
from moderation.rules.problems import RulesetInvalid
from moderation.rules.testcases import facts_from_case
from tests.rules.conftest import DEFAULT_RULES, ruleset_from

SHARED = """
lists:
  groups: [juif, juifs, femmes, arabes, "gens du voyage"]
  vermin: {file: lists/vermin.txt}
patterns:
  group: "(les|ces|des|tous les) @groups"
  dehumanise:
    - "@group (sont|etaient) (des|de la|une) @vermin"
    - "@vermin (que|qu) sont @group"
"""
VERMIN = "# animals\nvermine\ncafards\nsous-hommes\nrats\npoux\n"


def ruleset(rules: str, files: dict[str, str] | None = None) -> Ruleset:
    """The shared file, ``rules`` in a second file, and the vermin list."""
    texts = {"00-shared.yaml": SHARED, "10-rules.yaml": rules, **(files or {})}
    return compile_ruleset(texts, {"lists/vermin.txt": VERMIN})


def decide(rules: Ruleset, body: str) -> tuple[str, list[str]]:
    """The action and the matched text of the deciding rule."""
    verdict = rules.evaluate(facts_from_case({"body": body}))
    hit = next((h for h in verdict.hits if h.rule_id == verdict.rule_id), None)
    return verdict.action, [m.text for m in hit.matches] if hit else []


PATTERN_RULE = "rules:\n  - {id: d, if: {body: {pattern: '@dehumanise'}}, then: reject}\n"


@pytest.mark.parametrize(
    ("body", "action", "matched"),
    [
        ("Les juifs sont des cafards.", "reject", ["Les juifs sont des cafards"]),
        ("LES FEMMES SONT DES SOUS-HOMMES", "reject", ["LES FEMMES SONT DES SOUS-HOMMES"]),
        ("Lés Àrabes sont de la vermine", "reject", ["Lés Àrabes sont de la vermine"]),
        ("ces f3mmes sont des r4ts", "reject", ["ces f3mmes sont des r4ts"]),
        ("les a r a b e s sont des rats", "reject", ["les a r a b e s sont des rats"]),
        ("Des rats, voilà ce que sont les juifs", "approve", []),
        (
            "Des cafards qu'sont les gens du voyage",
            "reject",
            ["cafards qu'sont les gens du voyage"],
        ),
        ("Les femmes sont sous-représentées", "approve", []),
        ("Les juifs sont desrats", "approve", []),  # whole words only
        ("les juifsont des rats", "approve", []),
    ],
)
def test_a_named_pattern_matches_folded_words_across_files(
    body: str, action: str, matched: list[str]
) -> None:
    assert decide(ruleset(PATTERN_RULE), body) == (action, matched)


def test_literal_letters_of_a_pattern_are_folded_like_comments() -> None:
    rules = ruleset_from(
        'rules:\n  - {id: h, if: {body: {pattern: "j\'ai horreur des? @x"}}, then: review}\n'
        "lists:\n  x: [Arabes, Sénégalais]\n"
    )
    assert decide(rules, "J’ai HORREUR des sénégalais")[0] == "review"
    assert decide(rules, "j'ai horreur de arabes")[0] == "review"
    assert decide(rules, "j'adore les arabes")[0] == "approve"


def test_an_inline_pattern_can_reference_lists_and_patterns() -> None:
    rules = ruleset("rules:\n  - {id: i, if: {body: {pattern: 'je hais @group'}}, then: review}\n")
    assert decide(rules, "Je hais les juifs") == ("review", ["Je hais les juifs"])
    assert decide(rules, "Je hais le lundi") == ("approve", [])


@pytest.mark.parametrize(
    ("within", "ordered", "body", "action"),
    [
        (3, False, "Les juifs ? De la vermine.", "review"),
        (3, False, "De la vermine, ces juifs", "review"),
        (3, True, "De la vermine, ces juifs", "approve"),
        (4, True, "Les juifs, c'est de la vermine", "review"),
        (3, True, "Les juifs, c'est de la vermine", "approve"),
        (2, False, "Les juifs, c'est vraiment de la vermine", "approve"),
        (0, False, "Juifs vermine", "review"),
        (0, False, "Juifs et vermine", "approve"),
        (6, False, "La vermine est partout", "approve"),
    ],
)
def test_near_counts_the_words_between_two_patterns(
    within: int, ordered: bool, body: str, action: str
) -> None:
    near = f"{{terms: ['@groups', '@vermin'], within: {within}, ordered: {str(ordered).lower()}}}"
    rules = ruleset(f"rules:\n  - {{id: n, if: {{body: {{near: {near}}}}}, then: review}}\n")
    assert decide(rules, body)[0] == action


def test_near_points_at_both_ends() -> None:
    rules = ruleset(
        "rules:\n  - {id: n, if: {body: {near: {terms: ['@groups', '@vermin'], within: 5}}},"
        " then: review}\n"
    )
    assert decide(rules, "Ces ARABES, quels cafards !") == ("review", ["ARABES", "cafards"])


def test_an_overlapping_match_is_not_near_itself() -> None:
    rules = ruleset_from(
        "lists:\n  a: [sous race]\n"
        "rules:\n  - {id: n, if: {body: {near: {terms: ['@a', race], within: 3}}}, then: review}\n"
    )
    assert decide(rules, "une sous-race")[0] == "approve"
    assert decide(rules, "une sous-race, une race")[0] == "review"


def test_a_pattern_runs_in_a_not_guard() -> None:
    rules = ruleset(
        'patterns:\n  quoting: "(dire|ecrire) que"\n'
        "rules:\n  - id: d\n    if:\n      all:\n        - body: {pattern: '@dehumanise'}\n"
        "        - not: {body: {pattern: '@quoting'}}\n    then: reject\n"
    )
    assert decide(rules, "Les juifs sont des rats")[0] == "reject"
    assert decide(rules, "Dire que les juifs sont des rats est raciste")[0] == "approve"


def test_the_default_rules_still_load_and_mean_the_same() -> None:
    rules = load_ruleset(DEFAULT_RULES)
    assert rules.rule("hate-words") is not None


def errors_of(files: dict[str, str], lists: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(RulesetInvalid) as info:
        compile_ruleset(files, lists or {})
    return [str(e) for e in info.value.errors]


RULE = "rules:\n  - {id: r, if: {body: {pattern: '@a'}}, then: review}\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("patterns:\n  a: '(x'\n", ["a.yaml:2: patterns.a: invalid regex '(x': missing )"]),
        ("patterns:\n  a: 3\n" + RULE, ["a.yaml:2: patterns.a: expected a pattern or a non-empty"]),
        ("patterns:\n  a: []\n", ["a.yaml:2: patterns.a: expected a pattern or a non-empty"]),
        ("patterns:\n  a-b: x\n", ["a.yaml:2: patterns.a-b: String does not match"]),
        (
            "patterns:\n  a: ['x', '@nope']\n",
            ["a.yaml:2: patterns.a: unknown pattern or list '@nope' (known: a)"],
        ),
        (
            "patterns:\n  a:\n    - x\n    - 'y('\n" + RULE,
            ["a.yaml:4: patterns.a: invalid regex 'y(': missing )"],
        ),
        (
            "patterns:\n  a: '@b'\n  b: 'x @a'\n",
            [
                "a.yaml:2: patterns.a: pattern 'b' refers to itself (b -> a -> b)",
                "a.yaml:3: patterns.b: pattern 'a' refers to itself (a -> b -> a)",
            ],
        ),
        ("patterns:\n  a: 'x(?=y)'\n", ["a.yaml:2: patterns.a: invalid regex 'x(?=y)'"]),
        ("lists:\n  a: [x]\npatterns:\n  a: 'y'\n", ["a.yaml:4: patterns.a: 'a' is already the"]),
        (RULE, ["a.yaml:2: rules[0].if.body.pattern: unknown pattern or list '@a'"]),
        (
            "rules:\n  - id: r\n    if:\n      body: {pattern: 'a)'}\n    then: review\n",
            ["a.yaml:4: rules[0].if.body.pattern: invalid regex 'a)': unexpected )"],
        ),
        (
            "rules:\n  - id: r\n    if:\n      body:\n        near: {terms: [a], within: 2}\n"
            "    then: review\n",
            ["a.yaml:5: rules[0].if.body.near.terms: expected two patterns"],
        ),
        (
            "rules:\n  - id: r\n    if:\n      body:\n        near:\n          terms: [a, b]\n"
            "          within: -1\n          ordered: 1\n          far: 2\n    then: review\n",
            [
                "a.yaml:7: rules[0].if.body.near.within: Must be greater than or equal to 0",
                "a.yaml:8: rules[0].if.body.near.ordered: expected true or false",
                "a.yaml:9: rules[0].if.body.near.far: unknown key 'far'",
            ],
        ),
        (
            "rules:\n  - id: r\n    if:\n      body:\n        near:\n          terms: [a, '@z']\n"
            "    then: review\n",
            [
                "a.yaml:5: rules[0].if.body.near.within: missing required key",
            ],
        ),
        (
            "rules:\n  - id: r\n    if:\n      body:\n        near:\n          terms: [a, '@z']\n"
            "          within: 3\n    then: review\n",
            ["a.yaml:6: rules[0].if.body.near.terms: unknown pattern or list '@z'"],
        ),
    ],
)
def test_bad_patterns_name_file_line_and_key(text: str, expected: list[str]) -> None:
    errors = errors_of({"a.yaml": text})
    assert len(errors) == len(expected), errors
    for error, start in zip(errors, expected, strict=True):
        assert error.startswith(start), errors


def test_a_pattern_is_defined_once_across_files() -> None:
    errors = errors_of({"a.yaml": "patterns:\n  p: x\n", "b.yaml": "\npatterns:\n  p: y\n"})
    assert errors == ["b.yaml:3: patterns.p: pattern 'p' is already defined in a.yaml:2"]


def test_a_broken_pattern_is_reported_once_not_at_each_use() -> None:
    uses = "".join(
        f"  - {{id: r{i}, if: {{body: {{pattern: 'x @a'}}}}, then: review}}\n" for i in range(3)
    )
    errors = errors_of({"a.yaml": "patterns:\n  a: '(x'\n  b: '@a y'\nrules:\n" + uses})
    assert errors == ["a.yaml:2: patterns.a: invalid regex '(x': missing )"]


def test_a_bad_term_in_a_list_used_by_a_pattern_matches_nothing() -> None:
    rules = ruleset_from(
        "lists:\n  e: ['!!']\nrules:\n  - {id: r, if: {body: {pattern: '@e'}}, then: review}\n"
    )
    assert decide(rules, "!! hello !!")[0] == "approve"


TYPO_RULES = (
    "lists:\n  vermin: {file: lists/vermin.txt, typos: true}\n  plain: {file: lists/vermin.txt}\n"
    "rules:\n  - {id: t, if: {body: {pattern: 'des @vermin'}}, then: reject}\n"
    "  - {id: p, if: {body: {pattern: 'des @plain'}}, then: review}\n"
)


@pytest.mark.parametrize(
    ("body", "action"),
    [
        ("ce sont des vermine", "reject"),  # the term itself
        ("ce sont des vemine", "reject"),  # a letter dropped
        ("ce sont des vremine", "reject"),  # two letters swapped
        ("ce sont des sous hommes", "reject"),
        ("ce sont des soushommes", "reject"),  # two words joined
        ("ce sont des ermine", "approve"),  # the first letter is kept
        ("ce sont des rast", "reject"),  # 4 letters: swapped, never dropped
        ("ce sont des ras", "approve"),
        ("ce sont des pou", "approve"),  # 5 letters or fewer: no letter dropped
        ("ce sont des vermines", "approve"),  # a letter added is not a typo
    ],
)
def test_a_list_with_typos_matches_each_term_misspelt_once(body: str, action: str) -> None:
    rules = compile_ruleset({"a.yaml": TYPO_RULES}, {"lists/vermin.txt": VERMIN})
    assert decide(rules, body)[0] == action


def test_typos_are_only_for_the_list_that_asks() -> None:
    rules = compile_ruleset(
        {"a.yaml": TYPO_RULES.replace("then: reject", "then: approve")},
        {"lists/vermin.txt": VERMIN},
    )
    assert decide(rules, "des vermine")[0] == "review"
    assert decide(rules, "des vemine")[0] == "approve"


def test_typos_must_be_true_or_false() -> None:
    errors = errors_of(
        {"a.yaml": "lists:\n  v:\n    file: lists/vermin.txt\n    typos: yes please\n"},
        {"lists/vermin.txt": VERMIN},
    )
    assert errors == [
        'a.yaml:4: lists.v.typos: expected true, false or "@list" (typos except that list\'s words)'
    ]


def test_a_list_term_joined_to_the_word_before_matches_where_the_pattern_allows_it() -> None:
    rules = ruleset_from(
        "lists:\n  verbs: [hate]\n"
        "rules:\n  - {id: h, if: {body: {pattern: 'i ?@verbs them'}}, then: review}\n"
    )
    assert decide(rules, "Ihate them") == ("review", ["Ihate them"])
    assert decide(rules, "I hate them")[0] == "review"
    assert decide(rules, "Ihatethem")[0] == "approve"


def test_typos_leave_out_the_words_of_a_list() -> None:
    rules = compile_ruleset(
        {
            "a.yaml": "lists:\n  words: [traites]\n"
            "  bad: {file: lists/bad.txt, typos: '@words'}\n"
            "rules:\n  - {id: t, if: {body: {pattern: 'sont des @bad'}}, then: review}\n"
        },
        {"lists/bad.txt": "traîtres\n"},
    )
    assert decide(rules, "sont des traitres")[0] == "review"
    assert decide(rules, "sont des traitrse")[0] == "review"  # a misspelling
    assert decide(rules, "sont des traités")[0] == "approve"  # a word of the list


def test_typos_name_a_list_that_exists() -> None:
    errors = errors_of(
        {
            "a.yaml": "lists:\n  bad: {file: lists/bad.txt, typos: '@nope'}\n"
            "rules:\n  - {id: t, if: {body: {pattern: '@bad'}}, then: review}\n"
        },
        {"lists/bad.txt": "traîtres\n"},
    )
    assert errors == ["a.yaml:4: rules[0].if.body.pattern: typos: unknown list '@nope'"]


CACHE_CASES = [
    "Les musulmans m'ont toujours révulsé.",
    "Pas question que des Juifs s'installent dans ma rue.",
    "Dire que les Noirs pullulent comme des cafards, c'est raciste.",
    "Merci pour cet article",
]


def test_loading_the_same_rules_again_reuses_compiled_patterns_and_decides_the_same() -> None:
    first = load_ruleset(DEFAULT_RULES)
    second = load_ruleset(DEFAULT_RULES)
    assert second.version == first.version
    for body in CACHE_CASES:
        assert decide(second, body) == decide(first, body)
    # The expanded patterns are compiled once per process, not once per load.
    assert compile_regex("(les|des) (juifs|arabes)") is compile_regex("(les|des) (juifs|arabes)")


def test_an_invalid_pattern_is_reported_on_every_load_not_cached() -> None:
    for _ in range(2):
        with pytest.raises(ValueError, match="invalid regex"):
            compile_regex("(les|des")
