"""Sending callbacks: lease a batch of due deliveries, POST them site by site, record each.

A task gets the ids of the callbacks one transaction wrote for one site (``jobs.deliver``
groups them). It leases them in one statement and commits that before calling the site,
so no transaction stays open across the POSTs and no other worker sends them meanwhile;
then it POSTs them one after another over the site's kept-alive connection and records
every attempt in a second commit. Callbacks are at least once: a worker killed between
a POST and the second commit leaves the delivery leased; the sweeper sends it again
once the lease is over, with the same ``X-Moderation-Delivery`` id for the site to
recognise.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import time
from dataclasses import dataclass

import requests
from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

import moderation.jobs as jobs
from moderation.callbacks.http import Pinned, pin, site_session
from moderation.callbacks.models import Delivery, DeliveryAttempt
from moderation.db import utcnow
from moderation.signing import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
    sign_legacy,
)
from moderation.sites.models import Site
from moderation.sites.service import valid_secrets
from moderation.sites.urls import CallbackUrlError, check_callback_url

log = logging.getLogger(__name__)

#: First retry after ``CALLBACK_FIRST_RETRY_SECONDS`` (10 s), doubling, at most an hour
#: apart, until the retry window ends.
FIRST_DELAY, MAX_DELAY = 10.0, 3600.0

#: A retry further off than this is left to the sweeper, not to a delayed message.
MAX_COUNTDOWN = 300.0

#: A lease lasts one POST's timeout and this much more. A batch starts no POST once less
#: than a timeout of its lease is left and gives the rest back, so the lease stays short
#: (a killed worker's callbacks are sent again soon) however many the batch holds.
LEASE_SPARE = 30.0


@dataclass(frozen=True)
class Attempt:
    """What one POST gave: the site's status code (None: no answer) and any error."""

    status_code: int | None
    error: str | None
    ms: float

    @property
    def site_down(self) -> bool:
        """No answer, overloaded or failing: the site's other callbacks would fail alike."""
        code = self.status_code
        return self.error is not None and (code is None or code == 429 or code >= 500)


def next_delay(attempts: int, first: float = FIRST_DELAY) -> float:
    """Exponential backoff with jitter after ``attempts`` failed attempts."""
    base = min(first * 2 ** max(0, attempts - 1), MAX_DELAY)
    return float(base * random.uniform(0.8, 1.2))


def claim_deliveries(session: Session, *, delivery_ids: list[str]) -> list[Delivery]:
    """Lease the due ones of ``delivery_ids`` for one attempt each (flushed), oldest first.

    The caller commits the lease *before* calling the site. Of two workers given the
    same id, exactly one gets it (the other skips the locked row, or finds it leased);
    one not due yet (a duplicate message, the scheduled one will come) is left alone.
    """
    now = utcnow()
    lease = current_app.config["CALLBACK_TIMEOUT_SECONDS"] + LEASE_SPARE
    due = (
        select(Delivery.id)
        .where(
            Delivery.id.in_(delivery_ids),
            Delivery.status == "pending",
            Delivery.next_attempt_at <= now + dt.timedelta(seconds=1),
        )
        .order_by(Delivery.id)  # rows locked in one order: two batches never deadlock
        .with_for_update(skip_locked=True)
    )
    claimed = session.scalars(
        update(Delivery)
        .where(Delivery.id.in_(due.scalar_subquery()))
        .values(attempts=Delivery.attempts + 1, next_attempt_at=now + dt.timedelta(seconds=lease))
        .returning(Delivery)
        .execution_options(synchronize_session=False, populate_existing=True)
    ).all()
    return sorted(claimed, key=lambda d: (d.created_at, d.id))


def send_deliveries(
    session: Session, deliveries: list[Delivery], *, leased_at: float | None = None
) -> dict[str, str]:
    """POST leased deliveries, site by site, and record every attempt (flushed); their statuses.

    ``leased_at`` is the ``time.monotonic()`` of the claim (default: now).
    """
    until = (time.monotonic() if leased_at is None else leased_at) + LEASE_SPARE
    by_site: dict[int, list[Delivery]] = {}
    for delivery in deliveries:
        by_site.setdefault(delivery.site_id, []).append(delivery)
    for site_id, batch in by_site.items():
        _send_site(session, session.get_one(Site, site_id), batch, until)
    return {delivery.id: delivery.status for delivery in deliveries}


def _send_site(session: Session, site: Site, batch: list[Delivery], until: float) -> None:
    """One site's batch in order; once the site is down, the rest wait with the failed one."""
    if not site.callback_url:  # no receiver (the demo's site once the demo ends): not sent
        for delivery in batch:
            delivery.status = "cancelled"
        return
    secrets, target = valid_secrets(site), _check(site)
    for index, delivery in enumerate(batch):
        if time.monotonic() > until:  # the lease may end before another POST would
            _give_back(session, batch[index:])
            return
        attempt = _post(site, delivery, secrets, target)
        _record(session, delivery, attempt)
        if attempt.site_down:
            rest = batch[index + 1 :]
            _defer(rest, delivery)
            _schedule(session, [delivery, *rest])
            return
        _schedule(session, [delivery])


def _check(site: Site) -> Attempt | Pinned:
    """The URL check, once per batch: where to connect, or the refusal every callback gets."""
    started = time.perf_counter()
    try:
        addresses = check_callback_url(
            site.callback_url, allow_private=current_app.config["ALLOW_PRIVATE_CALLBACKS"]
        )
    except CallbackUrlError as exc:
        log.warning(
            "callback refused: %s (set MODERATION_ALLOW_PRIVATE_CALLBACKS=1 to allow private "
            "and loopback addresses, for development only)",
            exc,
            extra={"site": site.slug},
        )
        return Attempt(None, f"{type(exc).__name__}: {exc}"[:500], _ms(started))
    return pin(site.callback_url, addresses[0] if addresses else None)


def _post(site: Site, delivery: Delivery, secrets: list[str], target: Attempt | Pinned) -> Attempt:
    if isinstance(target, Attempt):  # refused
        return target
    body = json.dumps(
        {
            "event": delivery.event or "comment.moderated",
            "comment": delivery.comment,
            **(delivery.extra or {}),
            "sent_at": utcnow().isoformat(),
        },
        separators=(",", ":"),
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "Host": target.host,
        DELIVERY_HEADER: delivery.id,
        **callback_signature(site, secrets, body),
    }
    started = time.perf_counter()
    try:
        response = site_session(target).post(
            target.url,
            data=body,
            headers=headers,
            timeout=current_app.config["CALLBACK_TIMEOUT_SECONDS"],
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        return Attempt(None, f"{type(exc).__name__}: {exc}"[:500], _ms(started))
    error = None if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    return Attempt(response.status_code, error, _ms(started))


def callback_signature(site: Site, secrets: list[str], body: bytes) -> dict[str, str]:
    """The timestamp and signature headers of a callback: ``POST`` to the URL's path and query.

    One ``v2=`` value per valid secret (the site may know either during a rotation); a site
    that still accepts ``sha256=`` also gets those values, so a receiver not yet updated
    keeps working until the site turns legacy signatures off.
    """
    timestamp = str(int(time.time()))
    prepared = requests.PreparedRequest()
    prepared.prepare_url(site.callback_url, None)  # the target exactly as requests sends it
    target = prepared.path_url
    values = [sign(s, timestamp, "POST", target, body) for s in secrets]
    if site.legacy_signatures:
        values += [sign_legacy(s, timestamp, body) for s in secrets]
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: ",".join(values)}


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _record(session: Session, delivery: Delivery, attempt: Attempt) -> None:
    session.add(
        DeliveryAttempt(
            delivery_id=delivery.id,
            status_code=attempt.status_code,
            error=attempt.error,
            duration_ms=attempt.ms,
        )
    )
    now = utcnow()
    if attempt.error is None:
        delivery.status, delivery.delivered_at = "delivered", now
    elif now - delivery.created_at > dt.timedelta(hours=current_app.config["CALLBACK_RETRY_HOURS"]):
        delivery.status = "failed"
    else:
        first = current_app.config["CALLBACK_FIRST_RETRY_SECONDS"]
        delivery.next_attempt_at = now + dt.timedelta(seconds=next_delay(delivery.attempts, first))
    log.info(
        "callback attempt",
        extra={
            "delivery": delivery.id,
            "status_code": attempt.status_code,
            "error": attempt.error,
        },
    )


def _defer(rest: list[Delivery], failed: Delivery) -> None:
    """Give back the leases not tried, due with the failed one's retry."""
    first = current_app.config["CALLBACK_FIRST_RETRY_SECONDS"]
    due = failed.next_attempt_at
    if failed.status != "pending":  # its window is over; theirs is not
        due = utcnow() + dt.timedelta(seconds=first)
    _release(rest, due)


def _give_back(session: Session, rest: list[Delivery]) -> None:
    """End the leases not used, due now, in a message of their own."""
    _release(rest, utcnow())
    _schedule(session, rest)


def _release(deliveries: list[Delivery], due: dt.datetime) -> None:
    """Undo the leases of callbacks not attempted: no attempt counted, due at ``due``."""
    for delivery in deliveries:
        delivery.attempts -= 1
        delivery.next_attempt_at = due


def _schedule(session: Session, deliveries: list[Delivery]) -> None:
    """Enqueue the retry of those still pending, in one message, if it is due soon."""
    pending = [d for d in deliveries if d.status == "pending"]
    if not pending:
        return
    delay = max(0.0, (pending[-1].next_attempt_at - utcnow()).total_seconds())
    if delay <= MAX_COUNTDOWN:  # longer waits are picked up by the sweeper
        for delivery in pending:
            jobs.deliver(session, delivery.id, countdown=delay, group=delivery.site_id)
