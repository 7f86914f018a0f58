"""Queue depth, decisions by action and reason, time to decision."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.callbacks.models import Delivery
from moderation.comments.models import CommentRevision, Decision
from moderation.db import utcnow
from moderation.queue.models import ReviewItem

SAMPLE = 20_000  # time-to-decision percentiles are computed over the newest decisions


def stats(session: Session, *, window: dt.timedelta = dt.timedelta(days=7)) -> dict[str, Any]:
    """The numbers behind ``GET /v1/stats`` and ``/metrics``."""
    since = utcnow() - window
    depth = dict(
        session.execute(
            select(ReviewItem.queue, func.count())
            .where(ReviewItem.status == "open")
            .group_by(ReviewItem.queue)
        ).all()
    )
    by_outcome = session.execute(
        select(Decision.action, Decision.reason, func.count())
        .where(Decision.decided_at >= since)
        .group_by(Decision.action, Decision.reason)
    ).all()
    callbacks = dict(
        session.execute(
            select(Delivery.status, func.count())
            .where(Delivery.created_at >= since)
            .group_by(Delivery.status)
        ).all()
    )
    return {
        "window_seconds": int(window.total_seconds()),
        "callbacks": {
            s: callbacks.get(s, 0) for s in ("pending", "delivered", "failed", "superseded")
        },
        "queue_depth": {q: depth.get(q, 0) for q in ("pending", "reported")},
        "decisions": [{"action": a, "reason": r, "count": n} for a, r, n in by_outcome],
        "time_to_decision_seconds": {
            "auto": _percentiles(session, since, human=False),
            "moderator": _percentiles(session, since, human=True),
        },
    }


def decision_times(
    session: Session, since: dt.datetime, *, human: bool, limit: int
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The newest decisions since ``since`` (a moderator's or automatic): decided, received."""
    who = Decision.decided_by.like("moderator:%") if human else Decision.decided_by == "auto"
    rows = session.execute(
        select(Decision.decided_at, CommentRevision.received_at)
        .join(
            CommentRevision,
            (CommentRevision.comment_id == Decision.comment_id)
            & (CommentRevision.revision == Decision.revision),
        )
        .where(Decision.decided_at >= since, who)
        .order_by(Decision.id.desc())
        .limit(limit)
    )
    return [(decided, received) for decided, received in rows]


def _percentiles(
    session: Session, since: dt.datetime, *, human: bool
) -> dict[str, float | int | None]:
    rows = decision_times(session, since, human=human, limit=SAMPLE)
    durations = sorted(max(0.0, (d - r).total_seconds()) for d, r in rows)
    if not durations:
        return {"count": 0, "p50": None, "p90": None}
    p90 = statistics.quantiles(durations, n=10)[-1] if len(durations) > 1 else durations[0]
    return {
        "count": len(durations),
        "p50": round(statistics.median(durations), 3),
        "p90": round(p90, 3),
    }


def prometheus(data: dict[str, Any]) -> str:
    """The same numbers in Prometheus' text format."""
    lines = ["# TYPE moderation_queue_depth gauge"]
    lines += [f'moderation_queue_depth{{queue="{q}"}} {n}' for q, n in data["queue_depth"].items()]
    lines.append("# TYPE moderation_decisions gauge")
    for row in data["decisions"]:
        reason = (row["reason"] or "").replace('"', "")
        lines.append(
            f'moderation_decisions{{action="{row["action"]}",reason="{reason}"}} {row["count"]}'
        )
    lines.append("# TYPE moderation_callbacks gauge")
    lines += [f'moderation_callbacks{{status="{s}"}} {n}' for s, n in data["callbacks"].items()]
    lines.append("# TYPE moderation_time_to_decision_seconds gauge")
    for who, values in data["time_to_decision_seconds"].items():
        for name, quantile in (("p50", "0.5"), ("p90", "0.9")):
            if values[name] is not None:
                labels = f'by="{who}",quantile="{quantile}"'
                lines.append(f"moderation_time_to_decision_seconds{{{labels}}} {values[name]}")
    return "\n".join(lines) + "\n"
