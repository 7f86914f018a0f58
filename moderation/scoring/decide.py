"""``moderation rules decide``: what the live pipeline would decide for test-case-shaped lines.

Each line is built into facts by the rule tests' builder and decided by the pipeline's
pure stage (``moderation.scoring.pipeline.evaluate``), sanctions included; nothing is stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from moderation.contracts import RulesEngine
from moderation.rules.testcases import facts_from_case
from moderation.scoring.pipeline import ScorerProvider, evaluate

#: The fields of a decision line (SPEC §6).
FIELDS = ("action", "reason", "rule", "rules", "scores", "language")


class BadLine(ValueError):
    """A line that is not a decidable case; ``ident`` is its id when one was readable."""

    def __init__(self, message: str, ident: Any = None) -> None:
        super().__init__(message)
        self.ident = ident


def parse_case(line: str) -> dict[str, Any]:
    """One JSON line as a case; raises ``BadLine`` saying what is wrong."""
    try:
        case = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"invalid JSON: {exc.msg}") from None
    if not isinstance(case, dict):
        raise BadLine("expected a JSON object with 'id' and 'body'")
    ident = case.get("id")
    if not isinstance(case.get("body"), str):
        raise BadLine("'body' must be a string", ident)
    for key in ("author", "article", "history"):
        if case.get(key) is not None and not isinstance(case[key], dict):
            raise BadLine(f"'{key}' must be an object when given", ident)
    if case.get("language") is not None and not isinstance(case["language"], str):
        raise BadLine("'language' must be a string when given", ident)
    return case


def decide_case(
    case: Mapping[str, Any], ruleset: RulesEngine | None, scorer: ScorerProvider | None = None
) -> dict[str, Any]:
    """The pipeline's decision for one case, as a decision line (``id`` first)."""
    try:
        facts = facts_from_case(case)
    except (TypeError, ValueError, AttributeError) as exc:
        raise BadLine(f"invalid case: {exc}", case.get("id")) from None
    outcome = evaluate(facts, ruleset, language_hint=case.get("language"), scorer=scorer)
    record = outcome.record
    line = {"id": case.get("id"), **{key: record.get(key) for key in FIELDS}}
    line["scores"] = line["scores"] or {}
    line["rules"] = list(record.get("rules") or ())  # every matching rule, as recorded
    if record.get("sanction"):
        line["sanction"] = record["sanction"]
    return line


def decide_line(
    line: str, number: int, ruleset: RulesEngine | None, scorer: ScorerProvider | None = None
) -> dict[str, Any]:
    """One output line for one input line: a decision, or an error object for that line."""
    try:
        return decide_case(parse_case(line), ruleset, scorer)
    except BadLine as exc:
        error: dict[str, Any] = {"line": number, "error": str(exc)}
        return {"line": number, "id": exc.ident, "error": str(exc)} if exc.ident else error


def decide_lines(
    lines: Iterable[str], ruleset: RulesEngine | None, scorer: ScorerProvider | None = None
) -> Iterator[dict[str, Any]]:
    """Decisions for non-blank lines, in order."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield decide_line(line, number, ruleset, scorer)
