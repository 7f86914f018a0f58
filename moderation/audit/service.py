"""A comment's full history: every event, decision and callback attempt."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.callbacks.models import Delivery, DeliveryAttempt
from moderation.comments.models import Comment, CommentRevision, Decision, Event
from moderation.comments.service import comment_record
from moderation.sites.models import Site

#: What a moderator sees of a failed callback: the detail (host, port, address) is for admins.
NO_ANSWER = "the site did not answer"


def comment_history(
    session: Session, *, site: Site, comment: Comment, detail: bool = True
) -> dict[str, Any]:
    """The audit trail of SPEC §5, oldest first; ``detail``: callback errors as they were."""
    revisions = list(
        session.scalars(
            select(CommentRevision)
            .where(CommentRevision.comment_id == comment.id)
            .order_by(CommentRevision.revision)
        )
    )
    events = session.scalars(select(Event).where(Event.comment_id == comment.id).order_by(Event.id))
    decisions = session.scalars(
        select(Decision).where(Decision.comment_id == comment.id).order_by(Decision.id)
    )
    timeline = [_receipt(r) for r in revisions] + [_event(e) for e in events]
    return {
        "comment": comment_record(session, comment, site),
        "revisions": [
            {
                "revision": r.revision,
                "received_at": r.received_at.isoformat(),
                "body": r.body_text,
                "links": r.links,
            }
            for r in revisions
        ],
        # Receipts are the revision rows themselves (intake writes no separate event).
        "events": sorted(
            timeline, key=lambda e: (e["at"], e["kind"] not in ("received", "revised"))
        ),
        "decisions": [
            {"id": d.id, "revision": d.revision, "status": d.status, **d.record} for d in decisions
        ],
        "callbacks": _callbacks(session, comment.id, detail),
    }


def _receipt(revision: CommentRevision) -> dict[str, Any]:
    kind = "received" if revision.revision == 1 else "revised"
    at = revision.received_at.isoformat()
    return {"at": at, "revision": revision.revision, "kind": kind, "actor": "site", "reason": None}


def _event(event: Event) -> dict[str, Any]:
    return {
        "at": event.created_at.isoformat(),
        "revision": event.revision,
        "kind": event.kind,
        "actor": event.actor,
        "reason": event.reason,
        **event.data,
    }


def _callbacks(session: Session, comment_id: int, detail: bool) -> list[dict[str, Any]]:
    deliveries = list(
        session.scalars(
            select(Delivery).where(Delivery.comment_id == comment_id).order_by(Delivery.created_at)
        )
    )
    attempts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = session.scalars(
        select(DeliveryAttempt)
        .where(DeliveryAttempt.delivery_id.in_([d.id for d in deliveries]))
        .order_by(DeliveryAttempt.id)
    )
    for a in rows:
        attempts[a.delivery_id].append(
            {
                "at": a.attempted_at.isoformat(),
                "status_code": a.status_code,
                "error": a.error if detail or a.error is None else NO_ANSWER,
                "duration_ms": a.duration_ms,
            }
        )
    return [
        {
            "delivery": d.id,
            "revision": d.revision,
            "status": d.status,
            "comment": d.comment,
            "attempts": attempts.get(d.id, []),
        }
        for d in deliveries
    ]
