"""Reader reports: weighted so that brigades cannot pull a comment and good readers can.

A report's weight is ``2 × accuracy × standing``:
- accuracy: the reporter's past reports that moderators upheld, Laplace-smoothed
  ``(upheld + 1) / (resolved + 2)``, so an unknown reporter starts at 0.5 (weight 1);
- standing: ``1 + 0.25 × trust`` of the reporter as an author on this site; a banned or
  suspended reporter weighs 0.
A report counts in full when its reporter is in good standing here: a trust level of 1 or
more, or (a new site's ordinary readers) at least one approved comment, under 30 %
rejected, an account at least ``GOOD_STANDING_DAYS`` old (by the site's account date; when
the site sends none, known to us before the reported comment arrived) and no
pre-moderation. The others (never commented here, fresh accounts, mostly rejected,
pre-moderated) and any report from the same network as an earlier full report on the
comment (a brigade from one place, however many accounts) count together for at most
``LOW_STANDING_CAP``: below the reported-queue threshold, so numbers alone never move a
comment.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select, tuple_, update
from sqlalchemy.orm import Session

from moderation.authors.models import Author
from moderation.authors.service import account_age_days, active_sanctions, trust_level
from moderation.comments.audit import record_event
from moderation.comments.models import Comment, CommentRevision
from moderation.flags.models import Flag
from moderation.queue.items import open_item
from moderation.queue.models import ReviewItem

LOW_STANDING_CAP = 1.0


GOOD_STANDING_DAYS = 7.0
MAX_REJECTION_RATE = 0.3
#: Standings in words (labels in the console); "low" ones count only within the cap.
LOW_STANDINGS = ("unknown", "new", "sanctioned", "same_network")
_TRUST_STANDINGS = {1: "regular", 2: "member", 3: "trusted"}


@dataclass(frozen=True)
class Standing:
    """What a new report weighs, whether it counts only within the cap, and why in a word."""

    weight: float
    low: bool
    label: str


def reporter_standing(
    session: Session,
    *,
    site_id: int,
    source: str,
    reporter_id: str,
    reported_at: dt.datetime | None = None,
) -> Standing:
    """The standing of a new report by this reporter (before any network check).

    ``reported_at``: when the reported comment arrived; a reader whose account age the
    site does not send is in good standing only if we knew them before it.
    """
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
    author = _reporter(session, site_id, source, reporter_id)
    if author is None:
        return Standing(round(2 * accuracy, 3), True, "unknown")
    sanctions = active_sanctions(session, author.id)
    if {"ban", "suspend"} & set(sanctions):
        return Standing(0.0, True, "sanctioned")
    trust = trust_level(author, sanctions)
    weight = round(2 * accuracy * (1 + 0.25 * trust), 3)
    if trust:
        return Standing(weight, False, _TRUST_STANDINGS[trust])
    good = _good_standing(author, sanctions, reported_at)
    return Standing(weight, not good, "good" if good else "new")


def _reporter(session: Session, site_id: int, source: str, reporter_id: str) -> Author | None:
    return session.scalar(
        select(Author).where(
            Author.site_id == site_id, Author.source == source, Author.external_id == reporter_id
        )
    )


def _good_standing(
    author: Author, sanctions: tuple[str, ...], reported_at: dt.datetime | None
) -> bool:
    # An ordinary reader of a new site: published here, rarely refused, not a fresh account.
    decided = author.approved_count + author.rejected_count
    return (
        author.approved_count >= 1
        and author.rejected_count / decided < MAX_REJECTION_RATE
        and _settled(author, reported_at)
        and "premoderate" not in sanctions
    )


def _settled(author: Author, reported_at: dt.datetime | None) -> bool:
    # The site's account date when it sends one: a week old. Without it (a new site knows
    # its readers for days only), a reader we knew before the reported comment arrived: an
    # account made to answer the comment is not one.
    if author.account_created_at is not None:
        return account_age_days(author) >= GOOD_STANDING_DAYS
    return reported_at is not None and author.first_seen_at < reported_at


def _same_network(session: Session, comment: Comment, source: str, reporter_id: str) -> bool:
    """Whether the reporter wrote from a network an earlier full report's reporter used."""
    counted = session.execute(
        select(Flag.reporter_source, Flag.reporter_id).where(
            Flag.comment_id == comment.id, Flag.low_standing.is_(False), Flag.weight > 0
        )
    ).all()
    if not counted:
        return False
    networks = networks_of(session, comment.site_id, [(source, reporter_id), *counted])
    mine = networks.pop((source, reporter_id), set())
    return any(mine & theirs for theirs in networks.values())


def networks_of(
    session: Session, site_id: int, reporters: list[tuple[str, str]]
) -> dict[tuple[str, str], set[str]]:
    """The networks (IPv4 /24, IPv6 /48) each reporter's comments on the site came from."""
    rows = session.execute(
        select(Author.source, Author.external_id, CommentRevision.payload["ip"].as_string())
        .join(Comment, Comment.author_id == Author.id)
        .join(CommentRevision, CommentRevision.comment_id == Comment.id)
        .where(Author.site_id == site_id)
        .where(tuple_(Author.source, Author.external_id).in_(reporters))
    ).all()
    found: dict[tuple[str, str], set[str]] = {}
    for source, external_id, ip in rows:
        network = _network(ip)
        if network:
            found.setdefault((source, external_id), set()).add(network)
    return found


def _network(ip: str | None) -> str | None:
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return None  # none given, or erased after the retention period
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


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
    standing = reporter_standing(
        session,
        site_id=comment.site_id,
        source=source,
        reporter_id=reporter_id,
        reported_at=comment.received_at,
    )
    if not standing.low and _same_network(session, comment, source, reporter_id):
        standing = Standing(standing.weight, True, "same_network")
    weight, low = standing.weight, standing.low
    flag = Flag(
        comment_id=comment.id,
        site_id=comment.site_id,
        reporter_source=source,
        reporter_id=reporter_id,
        reason=reason,
        note=note,
        weight=weight,
        low_standing=low,
        standing=standing.label,
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
        # unknown, new, good, regular, member, trusted, sanctioned, same_network; None: older.
        "standing": flag.standing,
        "outcome": flag.outcome,
        "created_at": flag.created_at.isoformat(),
        **(_notice(flag) if flag.reason == "illegal" else {}),
    }


def _notice(flag: Flag) -> dict[str, object]:
    # A notice's legal claim and who made it, for the moderator (their e-mail stays out).
    return {"law": flag.law, "explanation": flag.explanation, "notifier": flag.notifier_name}
