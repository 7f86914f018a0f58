"""The scoring pipeline: claim (database) → language → classifier → rules → sanctions → decide.

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

from sqlalchemy.orm import Session

from moderation.comments.models import Decision
from moderation.contracts import (
    CommentFacts,
    ModelOutput,
    RulesEngine,
    RulesVerdict,
    Scorer,
)
from moderation.db import utcnow
from moderation.extensions import INFRASTRUCTURE_ERRORS
from moderation.review.decisions import Verdict, apply_decisions
from moderation.rules.problems import RulesUnavailable
from moderation.scoring import engines
from moderation.scoring.ready import Ready, claim_ready
from moderation.scoring.sanctions import enforce_sanctions
from moderation.scoring.spot_checks import maybe_sample
from moderation.text.language import detect_language
from moderation.timings import stage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What the pipeline concluded about one revision."""

    record: dict[str, Any]
    priority: int
    language: str


def decide_comment(session: Session, *, comment_id: int, revision: int) -> Decision | None:
    """Score and decide one revision (flushed); None if it is no longer the pending one."""
    decided = decide_ready(session, comment_id=comment_id, revision=revision)
    return next((d for d in decided if d.comment_id == comment_id), None)


def decide_ready(
    session: Session, *, comment_id: int, revision: int, extra: int = 0
) -> list[Decision]:
    """Decide the revision if still pending and up to ``extra`` other ready ones (flushed).

    One unit of work for all: the caller's single commit makes every decision and its
    callbacks durable together. Each revision is still decided once: claimed under a
    row lock (PostgreSQL) and written through the compare-and-set.
    """
    with stage("ruleset"):
        ruleset = _live_rules()
    needs = ruleset.history_needs if ruleset is not None else frozenset()
    with stage("claim"):
        claimed = claim_ready(
            session, comment_id=comment_id, revision=revision, needs=needs, extra=extra
        )
    verdicts = [_verdict(ready, ruleset) for ready in claimed]
    with stage("apply"):
        decisions = apply_decisions(session, verdicts)
        stored = {ready.comment.id: ready.stored for ready in claimed}
        for decision in decisions:
            maybe_sample(session, stored[decision.comment_id], decision)
            log.info(
                "comment decided",
                extra={"comment": decision.comment_id, "action": decision.action},
            )
    return decisions


def _verdict(ready: Ready, ruleset: RulesEngine | None) -> Verdict:
    hint = ready.stored.payload.get("language")
    outcome = evaluate(ready.facts(), ruleset, language_hint=hint)
    return Verdict(
        ready.comment,
        ready.comment.revision,
        outcome.record,
        priority=outcome.priority,
        language=outcome.language,
        notices=ready.notices,
        source=ready.author.source,
    )


def _live_rules() -> RulesEngine | None:
    """The live ruleset; None when the rules engine cannot give one (decided as scoring_error)."""
    try:
        return engines.current_rules()
    except INFRASTRUCTURE_ERRORS:
        raise
    except Exception:  # no live ruleset, or the store itself failed: the rules' failure
        log.exception("no live ruleset; holding the comment for review")
        return None


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
    with stage("language"):
        language = detect_language(facts.body, language_hint)
    record: dict[str, Any] = {"decided_by": "auto", "language": language}
    try:
        if ruleset is None:
            raise RulesUnavailable("no live ruleset")
        with stage("model"):
            model_output, model_version, thresholds = _classify(facts.body, language, scorer)
        record.update(model_version=model_version, ruleset_version=ruleset.version)
        with stage("rules"):
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
