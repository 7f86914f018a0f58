"""Writing a decision: one compare-and-set on the comment, then its side effects.

``set_status`` is the guard; ``record_decision`` writes what follows from it (the queue,
the decision row, the author's counters, the audit event, the callback outbox). Both
only flush: the caller's unit of work (a request or a task) commits them together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from moderation.authors.service import move_status, move_statuses
from moderation.callbacks.service import enqueue_delivery
from moderation.comments.audit import record_event
from moderation.comments.models import Comment, Decision
from moderation.contracts import CORAL_SOURCE
from moderation.db import utcnow
from moderation.dsa.hooks import decision_statement
from moderation.dsa.notices import notify_notifiers
from moderation.exceptions import Stale
from moderation.queue.items import open_item, withdraw_items

STATUS_FOR_ACTION = {"approve": "approved", "reject": "rejected", "review": "queued"}
_SET_KEYS = ("status", "queue", "priority", "decided_at", "updated_at", "language")


def apply_decision(
    session: Session,
    *,
    comment: Comment,
    revision: int,
    expected_status: str,
    record: dict[str, Any],
    queue: str | None = None,
    priority: int = 0,
    language: str | None = None,
    closed: bool = False,
    notices: bool = True,
) -> Decision:
    """Decide ``revision`` if the comment is still in ``expected_status``, else raise ``Stale``.

    ``closed``: the caller has just closed the comment's open item (a moderator's resolve),
    so there is none left to withdraw. ``notices`` False: the caller knows no notice of
    illegal content was ever filed on the comment, so their look-ups are skipped.
    """
    action = record["action"]
    queue = queue if queue is not None else ("pending" if action == "review" else None)
    # Only a comment already decided once (or queued) can have an open item or an unsent
    # callback; a first automatic decision skips those statements. Read before the CAS.
    first = expected_status == "pending" and comment.queue is None
    set_status(
        session,
        comment=comment,
        revision=revision,
        expected_status=expected_status,
        values=_values(STATUS_FOR_ACTION[action], queue, priority, language),
    )
    return record_decision(
        session,
        comment=comment,
        revision=revision,
        record=record,
        previous_status=expected_status,
        first=first,
        closed=closed,
        notices=notices,
    )


def _values(status: str, queue: str | None, priority: int, language: str | None) -> dict[str, Any]:
    now = utcnow()
    values: dict[str, Any] = {"status": status, "queue": queue, "priority": priority}
    values.update(decided_at=now, updated_at=now)
    if language:
        values["language"] = language
    return values


def set_status(
    session: Session,
    *,
    comment: Comment,
    revision: int,
    expected_status: str,
    values: dict[str, Any],
) -> None:
    """The compare-and-set: ``Stale`` when a newer revision, a deletion or a decision came first.

    The conditional UPDATE is the guard on every backend: whatever committed first makes
    it match no row, so an automatic decision can never overwrite a human one.
    """
    moved = session.execute(
        update(Comment)
        .where(
            Comment.id == comment.id,
            Comment.revision == revision,
            Comment.status == expected_status,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Stale(
            f"Comment {comment.external_id!r} changed; revision {revision} was not decided."
        )
    for key, value in values.items():  # what the UPDATE wrote, without re-reading it
        set_committed_value(comment, key, value)


def record_decision(
    session: Session,
    *,
    comment: Comment,
    revision: int,
    record: dict[str, Any],
    previous_status: str,
    first: bool,
    closed: bool = False,
    notices: bool = True,
) -> Decision:
    """Everything a decision implies once its compare-and-set has won (``first``: nothing open)."""
    move_status(session, author_id=comment.author_id, old=previous_status, new=comment.status)
    decision = new_decision(comment, revision, record)
    _flush_decisions(session, [decision])
    won = Won(Verdict(comment, revision, record, notices=notices), first)
    _effects(session, won, decision, closed=closed)
    return decision


@dataclass(frozen=True)
class Verdict:
    """A decision to write: ``notices`` False when no notice of illegal content was filed."""

    comment: Comment
    revision: int
    record: dict[str, Any]
    priority: int = 0
    language: str | None = None
    notices: bool = True
    source: str | None = None  # the author's login source, when already loaded


@dataclass(frozen=True)
class Won:
    """A verdict whose compare-and-set won (``first``: nothing was open or unsent)."""

    verdict: Verdict
    first: bool


def apply_decisions(session: Session, verdicts: list[Verdict]) -> list[Decision]:
    """Decide many pending revisions with a few statements; those moved on meanwhile are skipped.

    The compare-and-sets (one executemany on PostgreSQL), the authors' counters (one
    executemany), one INSERT of every decision, and at flush one INSERT per kind of side
    effect (events, callbacks): a batch costs about as many round trips as one comment.
    The verdicts come from ``scoring.ready.claim_ready``, whose row locks (PostgreSQL)
    the batched compare-and-set relies on.
    """
    won = _set_all(session, verdicts)
    moves = [(w.verdict.comment.author_id, "pending", w.verdict.comment.status) for w in won]
    move_statuses(session, moves)
    decisions = [new_decision(w.verdict.comment, w.verdict.revision, w.verdict.record) for w in won]
    _flush_decisions(session, decisions)
    for item, decision in zip(won, decisions, strict=True):
        _effects(session, item, decision)
    return decisions


def _set_all(session: Session, verdicts: list[Verdict]) -> list[Won]:
    """The compare-and-sets of a batch; the verdicts that won."""
    values = [_verdict_values(v) for v in verdicts]
    won = [Won(v, first=v.comment.queue is None) for v in verdicts]
    if len(verdicts) > 1 and session.get_bind().dialect.name == "postgresql":
        # The claim holds every row's lock (FOR UPDATE): none can have moved on.
        params = [
            {"cid": v.comment.id, "rev": v.revision, **{f"new_{k}": d[k] for k in _SET_KEYS}}
            for v, d in zip(verdicts, values, strict=True)
        ]
        moved = session.execute(_SET_ALL, params)
        if moved.rowcount != len(verdicts):  # type: ignore[attr-defined]
            raise Stale("A claimed revision moved on; the batch is retried.")
        for verdict, done in zip(verdicts, values, strict=True):
            for key, value in done.items():
                set_committed_value(verdict.comment, key, value)
        return won
    decided = []
    for item, done in zip(won, values, strict=True):
        comment, revision = item.verdict.comment, item.verdict.revision
        try:
            set_status(
                session, comment=comment, revision=revision, expected_status="pending", values=done
            )
        except Stale:
            continue  # decided by someone else first (SQLite: nothing locks it)
        decided.append(item)
    return decided


def _verdict_values(verdict: Verdict) -> dict[str, Any]:
    action = verdict.record["action"]
    # Coral's phase: Coral's moderators decide what we withhold; we keep it as history.
    ours = verdict.source != CORAL_SOURCE
    queue = "pending" if action == "review" and ours else None
    values = _values(STATUS_FOR_ACTION[action], queue, verdict.priority, verdict.language)
    values.setdefault("language", verdict.comment.language)  # the same keys for every row
    return values


_COMMENTS = Comment.__table__
assert isinstance(_COMMENTS, Table)
_SET_ALL = (
    update(_COMMENTS)
    .where(
        _COMMENTS.c.id == bindparam("cid"),
        _COMMENTS.c.revision == bindparam("rev"),
        _COMMENTS.c.status == "pending",
    )
    .values({key: bindparam(f"new_{key}") for key in _SET_KEYS})
)


def _effects(session: Session, won: Won, decision: Decision, *, closed: bool = False) -> None:
    comment, record = won.verdict.comment, won.verdict.record
    if comment.queue:
        reasons = [record.get("reason") or "review", *record.get("labels", [])]
        open_item(
            session,
            comment=comment,
            queue=comment.queue,
            priority=comment.priority,
            reasons=reasons,
            replace=not won.first,
            source=won.verdict.source,
        )
    elif not (won.first or closed):  # ``closed``: the caller has just closed the item itself
        withdraw_items(session, comment_id=comment.id)
    record_event(
        session,
        comment,
        "decided",
        actor=record["decided_by"],
        reason=record.get("reason"),
        action=record["action"],
        status=comment.status,
        ruleset_version=record.get("ruleset_version"),
        model_version=record.get("model_version"),
        note=record.get("note"),
    )
    notices = won.verdict.notices
    extra = decision_statement(session, comment=comment, decision=decision, notices=notices)
    supersede = not won.first
    enqueue_delivery(session, comment=comment, decision=decision, supersede=supersede, extra=extra)
    if won.verdict.notices:
        notify_notifiers(session, comment=comment, decision=decision)


def new_decision(comment: Comment, revision: int, record: dict[str, Any]) -> Decision:
    """The decision row for ``record``, with the status the comment has just been set to."""
    return Decision(
        comment_id=comment.id,
        revision=revision,
        action=record["action"],
        status=comment.status,
        decided_by=record["decided_by"],
        reason=record.get("reason"),
        record=record,
        ruleset_version=record.get("ruleset_version"),
        model_version=record.get("model_version"),
        decided_at=utcnow(),
    )


def _flush_decisions(session: Session, decisions: list[Decision]) -> None:
    session.add_all(decisions)
    try:
        session.flush()
    except IntegrityError as exc:
        # The unique index: another worker wrote the automatic decision for a revision.
        raise Stale("A revision is decided already.") from exc
