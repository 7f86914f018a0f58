"""History facts fetched before the rules run: every look-up a ruleset needs, in one query.

The rules engine is pure: it reads a ``HistorySnapshot``. Fetching happens here, in
the pipeline's unit of work, so a database fault raises to the task's retry policy
and is never mistaken for a failure of the rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, bindparam, case, func, literal, select
from sqlalchemy.orm import Session, aliased

from moderation.comments.models import Comment
from moderation.contracts import HistoryNeed, HistorySnapshot
from moderation.db import UTCDateTime, utcnow
from moderation.flags.models import Flag
from moderation.flags.service import LOW_STANDING_CAP


def fetch_history(
    session: Session, comment: Comment, needs: Iterable[HistoryNeed]
) -> HistorySnapshot:
    """Answer every look-up in ``needs`` for ``comment`` with one SELECT (none when empty)."""
    needs = sorted_needs(needs)
    if not needs:
        return HistorySnapshot()
    statement = select(*history_columns(comment, needs))
    row = session.execute(statement, history_params(needs)).one()
    return snapshot(needs, row)


def history_columns(target: Any, needs: Iterable[HistoryNeed]) -> list[ColumnElement[Any]]:
    """One scalar subquery per look-up, in ``sorted_needs`` order; run with ``history_params``.

    ``target`` is a loaded comment (its values are bound) or the ``Comment`` entity
    itself: the subqueries then correlate with the comments row of the enclosing query,
    so the scoring pipeline reads a batch's history in the statement that loads it. The
    windows' start times are parameters, so the statement can be built once and kept.
    """
    return [_lookup(target, need, index) for index, need in enumerate(sorted_needs(needs))]


def history_params(needs: Iterable[HistoryNeed]) -> dict[str, dt.datetime]:
    """The start of each look-up's window, from now, for ``history_columns``."""
    now = utcnow()
    return {
        f"since_{index}": now - dt.timedelta(seconds=need[1])
        for index, need in enumerate(sorted_needs(needs))
        if not isinstance(need, str)
    }


def sorted_needs(needs: Iterable[HistoryNeed]) -> list[HistoryNeed]:
    """The look-ups in the order of ``history_columns``."""
    return sorted(set(needs), key=str)


def snapshot(needs: Iterable[HistoryNeed], values: Iterable[Any]) -> HistorySnapshot:
    """The snapshot from the values of ``history_columns(…, needs)``."""
    pairs = zip(sorted_needs(needs), values, strict=True)
    counts = {need: float(value or 0) for need, value in pairs}
    if "flags" in counts:
        counts["flags"] = round(counts["flags"], 3)  # as flags_weight() reports it
    return HistorySnapshot(counts)


def _lookup(target: Any, need: HistoryNeed, index: int) -> ColumnElement[Any]:
    if isinstance(need, str):  # "flags", the only look-up without a window
        return _flags_weight(target.id)
    kind = need[0]
    since = bindparam(f"since_{index}", type_=UTCDateTime)
    other = aliased(Comment)
    if kind == "same_body_within":
        # Other comments on the site with the same body (the body_hash index).
        where = [
            other.body_hash == target.body_hash,
            other.site_id == target.site_id,
            other.id != target.id,
        ]
    elif kind == "author_rate":
        # Comments by this author, this one included (the author_id index).
        where = [other.author_id == target.author_id]
    else:
        raise ValueError(f"unknown history look-up {need!r}")
    counted = select(func.count()).select_from(other).where(*where, other.received_at >= since)
    return counted.scalar_subquery()


def _flags_weight(comment_id: Any) -> ColumnElement[Any]:
    # As flags.service.flags_weight: low-standing reporters count together for at most the cap.
    trusted = select(func.coalesce(func.sum(Flag.weight), 0.0)).where(
        Flag.comment_id == comment_id, Flag.low_standing.is_(False)
    )
    low = select(func.coalesce(func.sum(Flag.weight), 0.0)).where(
        Flag.comment_id == comment_id, Flag.low_standing.is_(True)
    )
    low_total = low.scalar_subquery()
    capped = case((low_total < LOW_STANDING_CAP, low_total), else_=literal(LOW_STANDING_CAP))
    return trusted.scalar_subquery() + capped
