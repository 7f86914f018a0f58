"""Reader reports: weighted so that a brigade of new accounts cannot pull a comment alone.

A report's weight is ``2 × accuracy × standing``:
- accuracy: the reporter's past reports that moderators upheld, Laplace-smoothed
  ``(upheld + 1) / (resolved + 2)``, so an unknown reporter starts at 0.5 (weight 1);
- standing: ``1 + 0.25 × trust`` of the reporter as an author on this site; a banned or
  suspended reporter weighs 0.
Reports from low-standing reporters (never commented here, or trust 0) count
together for at most ``LOW_STANDING_CAP``: below the reported-queue threshold,
so numbers alone never move a comment.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from moderation.authors.models import Author
from moderation.authors.service import active_sanctions, trust_level
from moderation.comments.audit import record_event
from moderation.comments.models import Comment
from moderation.flags.models import Flag
from moderation.queue.items import open_item
from moderation.queue.models import ReviewItem

LOW_STANDING_CAP = 1.0


def reporter_weight(
    session: Session, *, site_id: int, source: str, reporter_id: str
) -> tuple[float, bool]:
    """The weight of a new report by this reporter, and whether they are low-standing."""
    outcomes = dict(
        session.execute(
            select(Flag.outcome, func.count())
            .where(
                Flag.site_id == site_id,
                Flag.reporter_source == source,
                Flag.reporter_id == reporter_id,
            )
            .where(Flag.outcome.is_not(None))
            .group_by(Flag.outcome)
        ).all()
    )
    upheld, dismissed = outcomes.get("upheld", 0), outcomes.get("dismissed", 0)
    accuracy = (upheld + 1) / (upheld + dismissed + 2)
    author = session.scalar(
        select(Author).where(
            Author.site_id == site_id, Author.source == source, Author.external_id == reporter_id
        )
    )
    if author is None:
        return round(2 * accuracy, 3), True
    sanctions = active_sanctions(session, author.id)
    if {"ban", "suspend"} & set(sanctions):
        return 0.0, True
    trust = trust_level(author, sanctions)
    return round(2 * accuracy * (1 + 0.25 * trust), 3), trust == 0


def flags_weight(session: Session, comment_id: int) -> float:
    """Total weight of a comment's reports, low-standing ones capped together."""
    rows = session.execute(
        select(Flag.weight, Flag.low_standing).where(Flag.comment_id == comment_id)
    ).all()
    trusted = sum(weight for weight, low in rows if not low)
    low = sum(weight for weight, low in rows if low)
    return round(trusted + min(low, LOW_STANDING_CAP), 3)


def add_flag(
    session: Session,
    *,
    comment: Comment,
    source: str,
    reporter_id: str,
    reason: str,
    note: str | None,
) -> tuple[Flag, bool]:
    """Record one report per reporter per comment; maybe move the comment to ``reported``."""
    existing = _existing(session, comment.id, source, reporter_id)
    if existing is not None:
        return existing, False
    weight, low = reporter_weight(
        session, site_id=comment.site_id, source=source, reporter_id=reporter_id
    )
    flag = Flag(
        comment_id=comment.id,
        site_id=comment.site_id,
        reporter_source=source,
        reporter_id=reporter_id,
        reason=reason,
        note=note,
        weight=weight,
        low_standing=low,
    )
    session.add(flag)
    session.flush()
    total = flags_weight(session, comment.id)
    record_event(
        session,
        comment,
        "flagged",
        actor=f"reader:{source}:{reporter_id}",
        reason=reason,
        weight=weight,
        total=total,
    )
    _maybe_report(session, comment, total)
    # The same reporter's report racing itself fails the unique index at flush; the
    # request replays its unit of work and then finds this one (db.unit_of_work).
    return flag, True


def _existing(session: Session, comment_id: int, source: str, reporter_id: str) -> Flag | None:
    return session.scalar(
        select(Flag).where(
            Flag.comment_id == comment_id,
            Flag.reporter_source == source,
            Flag.reporter_id == reporter_id,
        )
    )


def _maybe_report(session: Session, comment: Comment, total: float) -> None:
    # Only published comments go to "reported"; held ones are already in front of moderators.
    if comment.status != "approved" or total < current_app.config["REPORT_THRESHOLD"]:
        return
    open_already = session.scalar(
        select(ReviewItem.id).where(
            ReviewItem.comment_id == comment.id,
            ReviewItem.status == "open",
            ReviewItem.queue != "spot_checks",  # readers' reports take a spot-checked comment over
        )
    )
    if open_already is not None:
        return
    reasons = list(
        session.scalars(select(Flag.reason).where(Flag.comment_id == comment.id).order_by(Flag.id))
    )
    open_item(session, comment=comment, queue="reported", priority=int(total * 10), reasons=reasons)
    comment.queue = "reported"
    record_event(session, comment, "reported", actor="readers", total=total)


def settle_flags(session: Session, *, comment_id: int, upheld: bool) -> None:
    """A moderator decided: the comment's open reports were right (upheld) or not (dismissed)."""
    session.execute(
        update(Flag)
        .where(Flag.comment_id == comment_id, Flag.outcome.is_(None))
        .values(outcome="upheld" if upheld else "dismissed")
        .execution_options(synchronize_session=False)
    )


def flag_view(flag: Flag) -> dict[str, object]:
    """A report as moderators see it."""
    return {
        "reporter": {"id": flag.reporter_id, "source": flag.reporter_source},
        "reason": flag.reason,
        "note": flag.note,
        "weight": flag.weight,
        "low_standing": flag.low_standing,
        "outcome": flag.outcome,
        "created_at": flag.created_at.isoformat(),
        # A notice's legal claim, for the moderator (the notifier's contact stays out).
        **({"law": flag.law, "explanation": flag.explanation} if flag.reason == "illegal" else {}),
    }
