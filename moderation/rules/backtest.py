"""Replay stored comments against a candidate ruleset: which decisions would change.

Each comment received in the window is replayed at its latest revision, with
the scores its automatic decision recorded (no model is needed) and history
counted as it stood when the revision arrived. Author facts are today's: past
counters are not kept per revision. The baseline is the revision's automatic
decision; a moderator's later decision, when there is one, is compared too.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.authors.models import Author
from moderation.authors.service import author_facts
from moderation.comments.models import Comment, CommentRevision, Decision
from moderation.contracts import CommentFacts, RulesVerdict
from moderation.db import utcnow
from moderation.rules.engine import Ruleset
from moderation.text.language import detect_language

Progress = Callable[[int, int], None]
Thresholds = Callable[[str], Mapping[str, Mapping[str, float]]]
_BATCH = 500


@dataclass
class BacktestReport:
    """What the candidate ruleset would have decided differently."""

    ruleset_version: str
    since: str
    replayed: int = 0
    unchanged: int = 0
    changed: int = 0
    by_action: Counter[str] = field(default_factory=Counter)  # "approve -> review"
    by_rule: Counter[str] = field(default_factory=Counter)  # candidate's deciding rule
    moderator: Counter[str] = field(default_factory=Counter)  # agree / disagree / deferred
    examples: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the API and ``--json``."""
        return {
            "ruleset_version": self.ruleset_version,
            "since": self.since,
            "replayed": self.replayed,
            "unchanged": self.unchanged,
            "changed": self.changed,
            "by_action": dict(self.by_action.most_common()),
            "by_rule": dict(self.by_rule.most_common()),
            "moderator_agreement": dict(self.moderator),
            "examples": self.examples,
        }


class ReplayHistory:
    """History counted as of when the revision arrived, not as of now."""

    def __init__(self, session: Session, comment: Comment, at: dt.datetime) -> None:
        self.session, self.comment, self.at = session, comment, at

    def same_body_count(self, within: dt.timedelta) -> int:
        """Other comments on the site with the same body in the window before ``at``."""
        query = select(func.count()).where(
            Comment.body_hash == self.comment.body_hash,
            Comment.site_id == self.comment.site_id,
            Comment.id != self.comment.id,
            Comment.received_at.between(self.at - within, self.at),
        )
        return self.session.scalar(query) or 0

    def author_comment_count(self, within: dt.timedelta) -> int:
        """Comments by the author in the window before ``at``, this one included."""
        query = select(func.count()).where(
            Comment.author_id == self.comment.author_id,
            Comment.received_at.between(self.at - within, self.at),
        )
        return max(1, self.session.scalar(query) or 0)

    def flags_weight(self) -> float:
        """Reader reports are not replayed (they arrive after the decision)."""
        return 0.0


def run_backtest(
    *,
    session: Session,
    ruleset: Ruleset,
    since: dt.timedelta,
    examples: int = 5,
    limit: int | None = None,
    thresholds: Thresholds | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> BacktestReport:
    """Replay the comments received within ``since`` and compare with their decisions."""
    start = (now or utcnow()) - since
    report = BacktestReport(ruleset.version, _describe(since))
    total = _count(session, start, limit)
    for comment, revision, author, decision in _rows(session, start, limit):
        facts = _facts(session, comment, revision, author, decision, thresholds)
        verdict = ruleset.evaluate(facts)
        _compare(report, comment, revision, decision, verdict, examples)
        _moderator(session, report, comment, verdict.action)
        report.replayed += 1
        if progress is not None and (report.replayed % _BATCH == 0 or report.replayed == total):
            progress(report.replayed, total)
    return report


def _query(start: dt.datetime) -> Any:
    return (
        select(Comment, CommentRevision, Author, Decision)
        .join(
            CommentRevision,
            (CommentRevision.comment_id == Comment.id)
            & (CommentRevision.revision == Comment.revision),
        )
        .join(Author, Author.id == Comment.author_id)
        .join(
            Decision,
            (Decision.comment_id == Comment.id)
            & (Decision.revision == Comment.revision)
            & (Decision.decided_by == "auto"),
        )
        .where(CommentRevision.received_at >= start, Comment.status != "deleted")
        .order_by(Comment.id)
    )


def _count(session: Session, start: dt.datetime, limit: int | None) -> int:
    total = session.scalar(select(func.count()).select_from(_query(start).subquery())) or 0
    return min(total, limit) if limit is not None else total


def _rows(session: Session, start: dt.datetime, limit: int | None) -> Iterator[Any]:
    query = _query(start)
    if limit is not None:
        query = query.limit(limit)
    yield from session.execute(query.execution_options(yield_per=_BATCH))


def _facts(
    session: Session,
    comment: Comment,
    revision: CommentRevision,
    author: Author,
    decision: Decision,
    thresholds: Thresholds | None,
) -> CommentFacts:
    record = decision.record or {}
    article = comment.article or {}
    hint = (revision.payload or {}).get("language")
    language = (
        record.get("language") or comment.language or detect_language(revision.body_text, hint)
    )
    return CommentFacts(
        body=revision.body_text,
        links=tuple(revision.links or ()),
        language=language,
        author=author_facts(session, author),
        article_section=article.get("section"),
        article_tags=tuple(article.get("tags") or ()),
        is_reply=comment.parent_id is not None,
        revision=revision.revision,
        scores=dict(record.get("scores") or {}),
        thresholds=thresholds(language) if thresholds else {},
        history=ReplayHistory(session, comment, revision.received_at),
    )


def _compare(
    report: BacktestReport,
    comment: Comment,
    revision: CommentRevision,
    decision: Decision,
    verdict: RulesVerdict,
    examples: int,
) -> None:
    if verdict.action == decision.action:
        report.unchanged += 1
        return
    change = f"{decision.action} -> {verdict.action}"
    report.changed += 1
    report.by_action[change] += 1
    report.by_rule[verdict.rule_id or "default"] += 1
    if sum(1 for e in report.examples if e["change"] == change) < examples:
        report.examples.append(_example(comment, revision, decision, verdict, change))


def _example(
    comment: Comment,
    revision: CommentRevision,
    decision: Decision,
    verdict: RulesVerdict,
    change: str,
) -> dict[str, Any]:
    body = revision.body_text
    return {
        "change": change,
        "comment": comment.external_id,
        "revision": revision.revision,
        "body": body if len(body) <= 200 else body[:197] + "...",
        "before": {
            "action": decision.action,
            "reason": decision.reason,
            "rule": (decision.record or {}).get("rule"),
        },
        "after": {"action": verdict.action, "reason": verdict.reason, "rule": verdict.rule_id},
        "rules": [hit.as_dict() for hit in verdict.hits],
    }


def _moderator(session: Session, report: BacktestReport, comment: Comment, action: str) -> None:
    human = session.scalar(
        select(Decision.action)
        .where(
            Decision.comment_id == comment.id,
            Decision.revision == comment.revision,
            Decision.decided_by != "auto",
        )
        .order_by(Decision.id.desc())
        .limit(1)
    )
    if human is None:
        return
    # "review" hands the comment to a moderator: neither agreement nor disagreement.
    outcome = "deferred" if action == "review" else "agree" if action == human else "disagree"
    report.moderator[outcome] += 1


def _describe(since: dt.timedelta) -> str:
    days, seconds = since.days, since.seconds
    if seconds == 0:
        return f"{days}d"
    return f"{since.total_seconds() / 3600:g}h"
