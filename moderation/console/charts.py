"""Series over time for the stats page, and their geometry as server-rendered SVG bars."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.comments.models import Decision
from moderation.db import utcnow
from moderation.queue.models import ReviewItem
from moderation.stats.service import decision_times

SAMPLE = 50_000  # rows read per series (newest first): enough for two weeks of a big site
WIDTH, HEIGHT = 640, 160


def days(count: int) -> list[dt.date]:
    """The last ``count`` days, oldest first (UTC)."""
    today = utcnow().date()
    return [today - dt.timedelta(days=n) for n in range(count - 1, -1, -1)]


def decisions_by_reason(session: Session, count: int = 14) -> dict[str, Any]:
    """Per day, decisions counted by reason (moderators' and automatic)."""
    span = days(count)
    since = dt.datetime.combine(span[0], dt.time(), tzinfo=dt.UTC)
    rows = session.execute(
        select(Decision.decided_at, Decision.reason, Decision.action)
        .where(Decision.decided_at >= since, Decision.action != "approve")
        .order_by(Decision.id.desc())
        .limit(SAMPLE)
    ).all()
    counts: Counter[tuple[dt.date, str]] = Counter(
        (at.date(), reason or action) for at, reason, action in rows
    )
    reasons = sorted({reason for _, reason in counts})
    return stacked(span, reasons, counts)


def queue_flow(session: Session, count: int = 14) -> dict[str, Any]:
    """Per day, items that entered a queue and items moderators resolved."""
    span = days(count)
    since = dt.datetime.combine(span[0], dt.time(), tzinfo=dt.UTC)
    opened = session.scalars(
        select(ReviewItem.created_at).where(ReviewItem.created_at >= since).limit(SAMPLE)
    )
    resolved = session.scalars(
        select(ReviewItem.resolved_at).where(ReviewItem.resolved_at >= since).limit(SAMPLE)
    )
    counts: Counter[tuple[dt.date, str]] = Counter((at.date(), "opened") for at in opened)
    counts.update((at.date(), "resolved") for at in resolved if at is not None)
    return stacked(span, ["opened", "resolved"], counts)


def time_to_decision(session: Session, count: int = 14) -> dict[str, Any]:
    """Per day, the median seconds from a revision's arrival to a moderator's decision."""
    span = days(count)
    since = dt.datetime.combine(span[0], dt.time(), tzinfo=dt.UTC)
    rows = decision_times(session, since, human=True, limit=SAMPLE)
    waits: dict[dt.date, list[float]] = {}
    for decided, received in rows:
        waits.setdefault(decided.date(), []).append((decided - received).total_seconds())
    medians: Counter[tuple[dt.date, str]] = Counter(
        {(day, "p50"): round(statistics.median(v)) for day, v in waits.items()}
    )
    return stacked(span, ["p50"], medians)


def stacked(
    span: list[dt.date], series: list[str], counts: Counter[tuple[dt.date, str]]
) -> dict[str, Any]:
    """Bar rectangles (x, y, w, h, series index) for a stacked daily chart."""
    totals = [sum(counts[(day, s)] for s in series) for day in span]
    top = max([*totals, 1])
    slot = WIDTH / len(span)
    bars = []
    for i, day in enumerate(span):
        y = float(HEIGHT)
        for k, name in enumerate(series):
            n = counts[(day, name)]
            if not n:
                continue
            h = HEIGHT * n / top
            y -= h
            bars.append(
                {
                    "x": i * slot + 2,
                    "y": y,
                    "w": slot - 4,
                    "h": h,
                    "k": k % 8,
                    "n": n,
                    "day": day.isoformat(),
                    "series": name,
                }
            )
    labels = [{"x": i * slot + slot / 2, "text": d.strftime("%d/%m")} for i, d in enumerate(span)]
    return {
        "bars": bars,
        "series": series,
        "labels": labels,
        "top": top,
        "width": WIDTH,
        "height": HEIGHT,
        "totals": totals,
    }
