"""The scoring pipeline: normalise → detect language → classify → rules → decide."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from moderation.authors.models import Author
from moderation.authors.service import author_facts
from moderation.comments.decisions import apply_decision
from moderation.comments.models import Comment, CommentRevision, Decision
from moderation.db import utcnow
from moderation.extensions import db
from moderation.scoring import engines
from moderation.scoring.contracts import CommentFacts, ModelOutput, RulesVerdict
from moderation.scoring.history import DatabaseHistory
from moderation.text.language import detect_language

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What the pipeline concluded about one revision."""

    record: dict[str, Any]
    priority: int
    language: str


def decide_comment(*, comment_id: int, revision: int) -> Decision | None:
    """Score and decide one revision; a no-op if it is no longer the pending one."""
    session = db.session
    comment = session.get(Comment, comment_id)
    if comment is None or comment.revision != revision or comment.status != "pending":
        return None
    stored = session.scalar(
        select(CommentRevision).where(
            CommentRevision.comment_id == comment_id, CommentRevision.revision == revision
        )
    )
    if stored is None:
        return None
    facts = build_facts(comment, stored, session.get_one(Author, comment.author_id))
    outcome = evaluate(facts, language_hint=stored.payload.get("language"))
    decision = apply_decision(
        session,
        comment=comment,
        revision=revision,
        expected_status="pending",
        record=outcome.record,
        priority=outcome.priority,
        language=outcome.language,
    )
    log.info("comment decided" if decision else "decision skipped", extra={"comment": comment_id})
    return decision


def build_facts(comment: Comment, stored: CommentRevision, author: Author) -> CommentFacts:
    """Everything the rules may look at, with history fetched lazily from the database."""
    article = comment.article or {}
    return CommentFacts(
        body=stored.body_text,
        links=tuple(stored.links or ()),
        author=author_facts(db.session, author),
        article_section=article.get("section"),
        article_tags=tuple(article.get("tags") or ()),
        is_reply=comment.parent_id is not None,
        revision=comment.revision,
        history=DatabaseHistory(db.session, comment),
    )


def evaluate(facts: CommentFacts, *, language_hint: str | None = None) -> Outcome:
    """Run the stages; any failure sends the comment to review, never to approval."""
    language = detect_language(facts.body, language_hint)
    record: dict[str, Any] = {"decided_by": "auto", "language": language}
    try:
        model_output, model_version, thresholds = _classify(facts.body, language)
        record["model_version"] = model_version
        facts = _with(facts, language, model_output, thresholds)
        ruleset = engines.current_rules()
        record["ruleset_version"] = ruleset.version
        verdict = ruleset.evaluate(facts)
    except Exception as exc:
        log.exception("scoring failed; holding the comment for review")
        record.update(action="review", reason="scoring_error", error=type(exc).__name__)
        record.update(rules=[], labels=[], scores={}, explanations={}, decided_at=_now())
        return Outcome(record=record, priority=0, language=language)
    record.update(_verdict_record(verdict, model_output))
    return Outcome(record=record, priority=verdict.priority, language=language)


def _classify(text: str, language: str) -> tuple[ModelOutput | None, str | None, Any]:
    scorer = engines.current_scorer()
    if scorer is None:
        return None, None, {}
    return scorer.score(text, language), scorer.version, scorer.thresholds(language)


def _with(
    facts: CommentFacts, language: str, output: ModelOutput | None, thresholds: Any
) -> CommentFacts:
    from dataclasses import replace

    scores = dict(output.scores) if output else {}
    return replace(facts, language=language, scores=scores, thresholds=thresholds or {})


def _verdict_record(verdict: RulesVerdict, output: ModelOutput | None) -> dict[str, Any]:
    explanations: dict[str, list[dict[str, object]]] = {}
    for item in output.explanations if output else ():
        explanations.setdefault(item.label, []).append(item.as_dict())
    return {
        "action": verdict.action,
        "reason": verdict.reason,
        "rule": verdict.rule_id,
        "rules": [hit.as_dict() for hit in verdict.hits],
        "labels": list(verdict.labels),
        "scores": {k: round(v, 4) for k, v in (output.scores.items() if output else ())},
        "explanations": explanations,
        "decided_at": _now(),
    }


def _now() -> str:
    return utcnow().isoformat()
