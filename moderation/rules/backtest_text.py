"""The backtest report as text for people (`moderation rules backtest`; `--json`: machines)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from moderation.rules.backtest import BacktestReport

# What each moderator outcome means, printed beside its count.
_OUTCOMES = {
    "agree": "the candidate decides as the moderator did",
    "disagree": "the candidate approves what the moderator rejected, or the reverse",
    "deferred": "the candidate holds it for review",
}
_DEFERRED = (
    '  ("deferred": a moderator would decide the comment again, so it counts as\n'
    "   neither agreement nor disagreement)"
)


def format_report(report: BacktestReport) -> str:
    """Human-readable summary: totals, changes, deciding rules, moderators, examples."""
    sections = [
        _summary(report),
        _counts("Changes (stored automatic decision -> candidate's decision):", report.by_action),
        _counts("Rules deciding the changed comments:", report.by_rule),
        _moderators(report.moderator) if report.replayed else "",
        _examples(report.examples),
    ]
    return "\n\n".join(s for s in sections if s)


def _summary(report: BacktestReport) -> str:
    lines = [
        f"Backtest of {report.ruleset_version}",
        f"on the comments received in the last {report.since} (latest revision of each).",
        f"replayed {report.replayed} comments: {report.changed} would change, "
        f"{report.unchanged} unchanged",
    ]
    if report.replayed == 0:
        lines.append("No comment with an automatic decision in the window: nothing to compare.")
    return "\n".join(lines)


def _counts(title: str, counts: Counter[str]) -> str:
    if not counts:
        return ""
    width = max(len(name) for name in counts)
    rows = [f"  {name.ljust(width)}  {n:>6}" for name, n in counts.most_common()]
    return "\n".join([title, *rows])


def _moderators(outcomes: Counter[str]) -> str:
    total = sum(outcomes.values())
    if not total:
        return "Moderators: none of these comments was decided by a moderator."
    lines = [f"Against the {total} comment(s) a moderator also decided (same revision):"]
    for outcome, meaning in _OUTCOMES.items():
        lines.append(f"  {outcome:<8}  {outcomes.get(outcome, 0):>6}  {meaning}")
    return "\n".join([*lines, _DEFERRED])


def _examples(examples: list[dict[str, Any]]) -> str:
    if not examples:
        return ""
    lines = ["Examples:"]
    for example in examples:
        after = example["after"]
        by = f"rule {after['rule']}" if after["rule"] else "the default"
        reason = f", reason {after['reason']}" if after["reason"] else ""
        lines.append(
            f"  [{example['change']}] comment {example['comment']} "
            f"(revision {example['revision']}), decided by {by}{reason}"
        )
        lines.append(f"      {' '.join(example['body'].split())}")
    return "\n".join(lines)
