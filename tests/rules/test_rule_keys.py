"""Rule files may name each rule's house-rule ``article`` and DSA ``category``."""

from __future__ import annotations

import pytest

from moderation.rules.loader import compile_ruleset, load_ruleset
from moderation.rules.problems import RulesetInvalid
from tests.helpers import ROOT

RULE = """\
rules:
  - id: r
    article: "Charte, art. 2"
    category: {category}
    if: {{body: {{words: [x]}}}}
    then: reject
"""


def _errors(text: str) -> list[str]:
    with pytest.raises(RulesetInvalid) as info:
        compile_ruleset({"a.yaml": text}, {})
    return [str(e) for e in info.value.errors]


def test_article_and_category_reach_the_compiled_rule():
    ruleset = compile_ruleset({"a.yaml": RULE.format(category="STATEMENT_CATEGORY_VIOLENCE")}, {})
    (rule,) = ruleset.rules
    assert (rule.article, rule.category) == ("Charte, art. 2", "STATEMENT_CATEGORY_VIOLENCE")


def test_an_unknown_category_is_an_error_with_file_and_line():
    (error,) = _errors(RULE.format(category="STATEMENT_CATEGORY_RUDENESS"))
    assert error.startswith("a.yaml:4") and "category" in error


def test_an_empty_article_is_an_error():
    (error,) = _errors(RULE.format(category="STATEMENT_CATEGORY_VIOLENCE").replace(
        '"Charte, art. 2"', '""'))  # fmt: skip
    assert "article" in error


def test_every_deciding_shipped_rule_has_an_article_and_a_category():
    ruleset = load_ruleset(ROOT / "rules")
    missing = [r.id for r in ruleset.rules if not (r.article and r.category)]
    assert missing == []
