"""Decision callbacks: an outbox written with the decision, delivered with retries. SPEC §4."""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import time
import uuid
from typing import TYPE_CHECKING, Any

import requests
from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

import moderation.jobs as jobs
from moderation.callbacks.http import site_session
from moderation.callbacks.models import Delivery, DeliveryAttempt
from moderation.callbacks.urls import CallbackUrlError, check_callback_url
from moderation.db import utcnow
from moderation.signing import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from moderation.sites.models import Site
from moderation.sites.service import valid_secrets

if TYPE_CHECKING:
    from moderation.comments.models import Comment, Decision

log = logging.getLogger(__name__)

#: First retry after ``CALLBACK_FIRST_RETRY_SECONDS`` (10 s), doubling, at most an hour
#: apart, until the retry window ends.
FIRST_DELAY, MAX_DELAY = 10.0, 3600.0


def supersede_pending(session: Session, *, comment_id: int) -> None:
    """Mark undelivered callbacks of a comment as superseded by a newer outcome."""
    session.execute(
        update(Delivery)
        .where(Delivery.comment_id == comment_id, Delivery.status == "pending")
        .where(Delivery.event == "comment.moderated")  # notice/appeal outcomes still count
        .values(status="superseded")
        .execution_options(synchronize_session=False)
    )


def hold_pending(session: Session, *, comment_id: int, seconds: float) -> list[str]:
    """Delay a comment's unsent callbacks by ``seconds`` (the console's undo window).

    The delivery enqueued at decision time then finds them not yet due and does nothing;
    the one enqueued here with ``countdown`` sends the outcome still standing (an undo
    supersedes it first). The sweeper catches the message if the broker loses it.
    """
    due = utcnow() + dt.timedelta(seconds=seconds)
    ids = list(
        session.scalars(
            select(Delivery.id).where(
                Delivery.comment_id == comment_id,
                Delivery.status == "pending",
                Delivery.attempts == 0,
            )
        )
    )
    if ids:
        session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids))
            .values(next_attempt_at=due)
            .execution_options(synchronize_session=False)
        )
    for delivery_id in ids:
        jobs.deliver(session, delivery_id, countdown=seconds)
    return ids


def enqueue_delivery(
    session: Session,
    *,
    comment: Comment,
    decision: Decision,
    supersede: bool = True,
    event: str = "comment.moderated",
    extra: dict[str, Any] | None = None,
) -> Delivery:
    """Write the callback for a decision; it is sent once the transaction commits.

    ``event`` and ``extra`` (more top-level keys, e.g. ``statement``) serve the DSA
    callbacks (``notice.decided``, ``appeal.decided``) through the same outbox.
    """
    if supersede:
        supersede_pending(session, comment_id=comment.id)
    delivery = Delivery(
        id=str(uuid.uuid4()),
        site_id=comment.site_id,
        comment_id=comment.id,
        decision_id=decision.id,
        revision=decision.revision,
        comment={
            "id": comment.external_id,
            "revision": decision.revision,
            "status": decision.status,
            "reason": decision.reason,
            "decided_by": decision.decided_by,
        },
        status="pending",
        attempts=0,
        next_attempt_at=utcnow(),
        event=event,
        extra=extra,
    )
    session.add(delivery)
    jobs.deliver(session, delivery.id)
    return delivery


def next_delay(attempts: int, first: float = FIRST_DELAY) -> float:
    """Exponential backoff with jitter after ``attempts`` failed attempts."""
    base = min(first * 2 ** max(0, attempts - 1), MAX_DELAY)
    return float(base * random.uniform(0.8, 1.2))


def claim_delivery(session: Session, *, delivery_id: str) -> Delivery | None:
    """Lease a due delivery for one attempt (flushed); None if it is not ours to send now.

    The caller commits the lease *before* calling the site, so no transaction stays
    open across the POST and no other worker sends it meanwhile.
    """
    # One conditional UPDATE … RETURNING: of two workers, exactly one gets the row; one
    # not due yet (a duplicate message, the scheduled one will come) is left alone.
    now = utcnow()
    lease = current_app.config["CALLBACK_TIMEOUT_SECONDS"] + 30
    claimed = session.scalars(
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.status == "pending",
            Delivery.next_attempt_at <= now + dt.timedelta(seconds=1),
        )
        .values(attempts=Delivery.attempts + 1, next_attempt_at=now + dt.timedelta(seconds=lease))
        .returning(Delivery)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    return claimed.one_or_none()


def send_delivery(session: Session, delivery: Delivery) -> str:
    """POST a leased delivery to its site and record the attempt (flushed); return its status."""
    status_code, error, elapsed = _post(session, delivery)
    _record(session, delivery, status_code, error, elapsed)
    if delivery.status == "pending":
        delay = (delivery.next_attempt_at - utcnow()).total_seconds()
        if delay <= 300:  # longer waits are picked up by the sweeper
            jobs.deliver(session, delivery.id, countdown=max(0.0, delay))
    return delivery.status


def _post(session: Session, delivery: Delivery) -> tuple[int | None, str | None, float]:
    site = session.get_one(Site, delivery.site_id)
    body = json.dumps(
        {
            "event": delivery.event or "comment.moderated",
            "comment": delivery.comment,
            **(delivery.extra or {}),
            "sent_at": utcnow().isoformat(),
        },
        separators=(",", ":"),
    ).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        DELIVERY_HEADER: delivery.id,
        TIMESTAMP_HEADER: timestamp,
        # During a secret rotation the site may know either secret.
        SIGNATURE_HEADER: ",".join(sign(s, timestamp, body) for s in valid_secrets(site)),
    }
    started = time.perf_counter()
    try:
        check_callback_url(
            site.callback_url, allow_private=current_app.config["ALLOW_PRIVATE_CALLBACKS"]
        )
        response = site_session(site.callback_url).post(
            site.callback_url,
            data=body,
            headers=headers,
            timeout=current_app.config["CALLBACK_TIMEOUT_SECONDS"],
            allow_redirects=False,
        )
    except CallbackUrlError as exc:
        log.warning(
            "callback refused: %s (set MODERATION_ALLOW_PRIVATE_CALLBACKS=1 to allow private "
            "and loopback addresses, for development only)",
            exc,
            extra={"delivery": delivery.id, "site": site.slug},
        )
        return None, f"{type(exc).__name__}: {exc}"[:500], _ms(started)
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500], _ms(started)
    error = None if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    return response.status_code, error, _ms(started)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _record(
    session: Session, delivery: Delivery, status_code: int | None, error: str | None, ms: float
) -> None:
    session.add(
        DeliveryAttempt(
            delivery_id=delivery.id, status_code=status_code, error=error, duration_ms=ms
        )
    )
    now = utcnow()
    if error is None:
        delivery.status, delivery.delivered_at = "delivered", now
    elif now - delivery.created_at > dt.timedelta(hours=current_app.config["CALLBACK_RETRY_HOURS"]):
        delivery.status = "failed"
    else:
        first = current_app.config["CALLBACK_FIRST_RETRY_SECONDS"]
        delivery.next_attempt_at = now + dt.timedelta(seconds=next_delay(delivery.attempts, first))
    log.info(
        "callback attempt",
        extra={"delivery": delivery.id, "status_code": status_code, "error": error},
    )


def due_deliveries(session: Session, *, grace_seconds: float = 30, limit: int = 500) -> list[str]:
    """Pending deliveries whose time has come and gone (lost messages, long backoffs)."""
    cutoff = utcnow() - dt.timedelta(seconds=grace_seconds)
    return list(
        session.scalars(
            select(Delivery.id)
            .where(Delivery.status == "pending", Delivery.next_attempt_at <= cutoff)
            .order_by(Delivery.next_attempt_at)
            .limit(limit)
        )
    )
