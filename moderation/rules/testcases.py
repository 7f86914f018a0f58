"""Run the ``tests:`` examples of a ruleset (``moderation rules test``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from moderation.contracts import AuthorFacts, CommentFacts, NoHistory, RulesVerdict
from moderation.rules.engine import Ruleset, RuleTest
from moderation.text.language import detect_language


@dataclass(frozen=True)
class TestResult:
    """The outcome of one example."""

    __test__ = False  # not a pytest class

    test: RuleTest
    verdict: RulesVerdict
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when the example holds."""
        return not self.problems

    def __str__(self) -> str:
        body = str(self.test.case["body"])
        shown = body if len(body) <= 60 else body[:57] + "..."
        return f"{self.test.file}:{self.test.line}: {shown!r}: {'; '.join(self.problems)}"


def facts_from_case(case: Mapping[str, Any], now: datetime | None = None) -> CommentFacts:
    """Build the facts a test case describes, as the pipeline would for a webhook payload."""
    body = str(case["body"])
    article = case.get("article") or {}
    history = case.get("history") or {}
    return CommentFacts(
        body=body,
        links=tuple(case.get("links") or ()),
        language=detect_language(body, case.get("language")),
        author=author_from_case(case.get("author") or {}, now),
        article_section=article.get("section"),
        article_tags=tuple(article.get("tags") or ()),
        is_reply=case.get("parent_id") is not None,
        revision=case.get("revision", 1),
        scores=dict(case.get("scores") or {}),
        thresholds=case.get("thresholds") or {},
        history=NoHistory(
            same_body=history.get("same_body", 0),
            author_rate=history.get("author_rate", 1),
            flags=_flags_weight(case.get("flags")),
        ),
    )


def author_from_case(author: Mapping[str, Any], now: datetime | None = None) -> AuthorFacts:
    """Author facts from a payload ``author`` plus the history fields tests may add."""
    age = author.get("account_age_days")
    created = author.get("created_at")
    if age is None and isinstance(created, datetime):
        age = ((now or datetime.now(UTC)) - created).total_seconds() / 86400
    return AuthorFacts(
        source=author.get("source", "native"),
        email_verified=author.get("email_verified"),
        account_age_days=age,
        trust=author.get("trust", 0),
        approved_count=author.get("approved_count", 0),
        rejected_count=author.get("rejected_count", 0),
        sanctions=tuple(author.get("sanctions") or ()),
    )


def _flags_weight(flags: Any) -> float:
    if isinstance(flags, list):
        return float(len(flags))
    return float(flags or 0)


def check_case(ruleset: Ruleset, test: RuleTest) -> TestResult:
    """Evaluate one example and compare with what it expects."""
    case = test.case
    verdict = ruleset.evaluate(facts_from_case(case))
    problems = []
    if verdict.action != case["expect"]:
        problems.append(f"expected {case['expect']}, got {verdict.action} ({_by(verdict)})")
    if case.get("rule") is not None and verdict.rule_id != case["rule"]:
        problems.append(f"expected rule {case['rule']!r}, decided by {_by(verdict)}")
    if case.get("reason") is not None and verdict.reason != case["reason"]:
        problems.append(f"expected reason {case['reason']!r}, got {verdict.reason!r}")
    missing = [label for label in case.get("labels") or () if label not in verdict.labels]
    if missing:
        problems.append(f"expected labels {missing}, got {list(verdict.labels)}")
    return TestResult(test, verdict, tuple(problems))


def _by(verdict: RulesVerdict) -> str:
    return f"rule {verdict.rule_id!r}" if verdict.rule_id else "default"


def run_tests(ruleset: Ruleset) -> list[TestResult]:
    """Run every example of the ruleset, in file order."""
    return [check_case(ruleset, test) for test in ruleset.tests]
