"""The scoring pipeline: facts (database) → language → classifier → rules → sanctions → decide.

All database reads happen before the engines run and all writes after, in the
task's unit of work; the engines in between are pure. So an infrastructure fault
raises to the task's retry policy, and only a failure of the rules or the model
themselves sends a comment to review as ``scoring_error`` (SPEC §8).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.authors.models import Author
from moderation.authors.service import author_facts
from moderation.comments.decisions import apply_decision
from moderation.comments.models import Comment, CommentRevision, Decision
from moderation.db import utcnow
from moderation.extensions import INFRASTRUCTURE_ERRORS
from moderation.rules.problems import RulesUnavailable
from moderation.scoring import engines
from moderation.scoring.audits import maybe_sample
from moderation.scoring.contracts import (
    CommentFacts,
    ModelOutput,
    RulesEngine,
    RulesVerdict,
    Scorer,
)
from moderation.scoring.history import fetch_history
from moderation.scoring.sanctions import enforce_sanctions
from moderation.text.language import detect_language

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What the pipeline concluded about one revision."""

    record: dict[str, Any]
    priority: int
    language: str


def decide_comment(session: Session, *, comment_id: int, revision: int) -> Decision | None:
    """Score and decide one revision (flushed); None if it is no longer the pending one."""
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
    ruleset = _live_rules()
    facts = build_facts(session, comment, stored, ruleset)
    outcome = evaluate(facts, ruleset, language_hint=stored.payload.get("language"))
    decision = apply_decision(
        session,
        comment=comment,
        revision=revision,
        expected_status="pending",
        record=outcome.record,
        priority=outcome.priority,
        language=outcome.language,
    )
    maybe_sample(session, stored, decision)
    log.info("comment decided", extra={"comment": comment_id, "action": decision.action})
    return decision


def _live_rules() -> RulesEngine | None:
    """The live ruleset; None when the rules engine cannot give one (decided as scoring_error)."""
    try:
        return engines.current_rules()
    except INFRASTRUCTURE_ERRORS:
        raise
    except Exception:  # no live ruleset, or the store itself failed: the rules' failure
        log.exception("no live ruleset; holding the comment for review")
        return None


def build_facts(
    session: Session, comment: Comment, stored: CommentRevision, ruleset: RulesEngine | None
) -> CommentFacts:
    """Everything the rules may look at, history included, read from the database now."""
    article = comment.article or {}
    needs = ruleset.history_needs if ruleset is not None else frozenset()
    return CommentFacts(
        body=stored.body_text,
        links=tuple(stored.links or ()),
        author=author_facts(session, session.get_one(Author, comment.author_id)),
        article_section=article.get("section"),
        article_tags=tuple(article.get("tags") or ()),
        is_reply=comment.parent_id is not None,
        revision=comment.revision,
        history=fetch_history(session, comment, needs),
    )


ScorerProvider = Callable[[], Scorer | None]


def evaluate(
    facts: CommentFacts,
    ruleset: RulesEngine | None,
    *,
    language_hint: str | None = None,
    scorer: ScorerProvider | None = None,
) -> Outcome:
    """Run the pure stages; a failure of the model or the rules holds the comment for review.

    ``scorer`` gives the model (default: the promoted one); validation passes its own.
    """
    language = detect_language(facts.body, language_hint)
    record: dict[str, Any] = {"decided_by": "auto", "language": language}
    try:
        if ruleset is None:
            raise RulesUnavailable("no live ruleset")
        model_output, model_version, thresholds = _classify(facts.body, language, scorer)
        record.update(model_version=model_version, ruleset_version=ruleset.version)
        verdict = ruleset.evaluate(_with(facts, language, model_output, thresholds))
    except INFRASTRUCTURE_ERRORS:
        raise  # never the engines' fault: the task retries
    except Exception as exc:  # the engines do no I/O: whatever else they raise is theirs
        log.exception("scoring failed; holding the comment for review")
        record.update(action="review", reason="scoring_error", error=type(exc).__name__)
        record.update(rules=[], labels=[], scores={}, explanations={}, decided_at=_now())
        return _sanctioned(Outcome(record=record, priority=0, language=language), facts)
    record.update(_verdict_record(verdict, model_output))
    return _sanctioned(Outcome(record, verdict.priority, language), facts)


def _sanctioned(outcome: Outcome, facts: CommentFacts) -> Outcome:
    return replace(outcome, record=enforce_sanctions(outcome.record, facts.author))


def _classify(
    text: str, language: str, provider: ScorerProvider | None
) -> tuple[ModelOutput | None, str | None, Any]:
    scorer = (provider or engines.current_scorer)()
    if scorer is None:
        return None, None, {}
    return scorer.score(text, language), scorer.version, scorer.thresholds(language)


def _with(
    facts: CommentFacts, language: str, output: ModelOutput | None, thresholds: Any
) -> CommentFacts:
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
