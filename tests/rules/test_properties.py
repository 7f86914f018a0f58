"""Property tests of the rule evaluator on the shipped ruleset (``rules/``).

Whatever the comment, its author, its scores and its history, ``Ruleset.evaluate``
never raises, always decides approve, review or reject, and every match span is a
slice of the original body. ``tests/rules`` already fuzzes the body alone; these
also vary every other fact and lean on Unicode that changes length when folded.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.contracts import LABELS, AuthorFacts, CommentFacts, NoHistory
from moderation.rules.engine import Ruleset
from moderation.rules.loader import load_ruleset
from tests.helpers import ROOT

RULES_DIR = ROOT / "rules"


def _terms() -> list[str]:
    """A sample of the shipped list terms, so that rules match and spans get checked."""
    terms: list[str] = []
    for path in sorted((RULES_DIR / "lists").glob("*.txt")):
        if path.name.startswith("LICENSE"):
            continue
        lines = path.read_text("utf-8").splitlines()
        terms += [t.strip() for t in lines if t.strip() and not t.startswith("#")][:8]
    return terms


# Text whose folding changes its length or hides letters: combining marks, zero-width
# and bidi controls, ligatures and compatibility forms, case mappings that grow
# (İ, ß, ŉ), emoji sequences, soft hyphens and odd spaces.
WEIRD = [
    "e\u0301", "c\u0327a", "o\u0308\u0304", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
    "\u00ad", "\u200e", "\u200f", "\u202e", "\u2067", "\u2069", "\u00a0", "\u202f", "\u2028",
    "\u3000", "\t", "\r\n", "İ", "ı", "ß", "ẞ", "ŉ", "ǅ", "ﬁ", "ﬃ", "œ", "Æ", "ℌ", "Ⅻ", "½",
    "㎏", "①", "ｃｏｎ", "𝐜𝐨𝐧", "Σς", "ﷺ", "שלום", "مرحبا", "👍🏽", "👨\u200d👩\u200d👧",
    "🇫🇷", "1\ufe0f\u20e3", "c o n n a r d", "C.O.N", "c0nn4rd", "l’", "qu'", "j'",
    "https://bit.ly/x", "http://xn--80ak6aa92e.com", "www.exemple.fr/a?b=c", "a@b.fr",
    "06 12 34 56 78", "+33 6 12 34 56 78", "!!!", "...", "\x00", "\x7f", "\U0010ffff",
]  # fmt: skip
PIECES = WEIRD + _terms()

bodies = (
    st.text(max_size=300)
    | st.lists(st.sampled_from(PIECES), max_size=16).map(" ".join)
    | st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=16).map("".join)
)
any_float = st.floats(allow_nan=True, allow_infinity=True)
score = st.floats(0, 1) | any_float
label = st.sampled_from(LABELS) | st.text(max_size=12)
small_text = st.text(max_size=20)

authors = st.builds(
    AuthorFacts,
    source=st.sampled_from(["native", "facebook", "google", "twitter"]) | small_text,
    email_verified=st.none() | st.booleans(),
    account_age_days=st.none() | any_float,
    trust=st.integers(-5, 10),
    approved_count=st.integers(0, 10**9),
    rejected_count=st.integers(0, 10**9),
    sanctions=st.lists(
        st.sampled_from(["ban", "suspend", "premoderate", "trust"]) | small_text, max_size=4
    ).map(tuple),
)

facts = st.builds(
    CommentFacts,
    body=bodies,
    links=st.lists(st.sampled_from(PIECES) | small_text, max_size=4).map(tuple),
    language=st.sampled_from(["fr", "en", "und", "de"]) | small_text,
    author=authors,
    article_section=st.none() | small_text,
    article_tags=st.lists(small_text, max_size=4).map(tuple),
    is_reply=st.booleans(),
    revision=st.integers(1, 10**6),
    scores=st.dictionaries(label, score, max_size=9),
    thresholds=st.dictionaries(
        label, st.dictionaries(st.sampled_from(["likely", "very_likely"]), score), max_size=4
    ),
    history=st.builds(
        NoHistory,
        same_body=st.integers(0, 10**6),
        author_rate=st.integers(0, 10**6),
        flags=st.floats(0, 1e6) | any_float,
    ),
)


@pytest.fixture(scope="module")
def shipped() -> Ruleset:
    """The house rules as shipped."""
    return load_ruleset(RULES_DIR)


@settings(max_examples=300, deadline=None)
@given(comment=facts)
def test_any_comment_gets_a_decision_with_spans_inside_the_body(
    shipped: Ruleset, comment: CommentFacts
) -> None:
    verdict = shipped.evaluate(comment)
    assert verdict.action in ("approve", "review", "reject")
    assert verdict.rule_id is None or verdict.rule_id in shipped.rule_ids
    assert verdict.priority == max((h.priority for h in verdict.hits), default=0)
    body = comment.body
    for hit in verdict.hits:
        assert hit.rule_id in shipped.rule_ids
        assert hit.action in ("approve", "review", "reject", "flag")
        for match in hit.matches:
            assert match.field == "body"
            assert 0 <= match.start < match.end <= len(body), (hit.rule_id, match)
            assert body[match.start : match.end] == match.text
    assert shipped.evaluate(comment) == verdict  # deterministic


@settings(max_examples=150, deadline=None)
@given(
    body=st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("\u200b".join),
    scores=st.dictionaries(st.sampled_from(LABELS), st.floats(0, 1)),
)
def test_weird_separators_keep_spans_on_the_original_text(
    shipped: Ruleset, body: str, scores: dict[str, float]
) -> None:
    """List terms glued with zero-width spaces: spans still slice the original body."""
    verdict = shipped.evaluate(CommentFacts(body=body, language="fr", scores=scores))
    assert verdict.action in ("approve", "review", "reject")
    for hit in verdict.hits:
        for match in hit.matches:
            assert 0 <= match.start < match.end <= len(body)
            assert body[match.start : match.end] == match.text
