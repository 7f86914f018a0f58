"""Spot checks: a fixed share of automatic approvals also goes to the ``spot_checks`` queue.

The pick is a keyed hash of the revision's row id, not a random draw: a retried or
redelivered task, any worker on any host, picks the same revisions (nothing relies on
process state), tests can predict it, and raising the rate keeps every earlier pick.
The salt (``MODERATION_SPOT_CHECK_SALT``) keeps authors from predicting which are picked.
The approval stands; the spot check only asks a moderator for a label.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from moderation.comments.audit import record_event
from moderation.comments.models import Comment, CommentRevision, Decision
from moderation.contracts import CORAL_SOURCE
from moderation.queue.items import open_item
from moderation.queue.models import ReviewItem
from moderation.review.spot_checks import QUEUE


def sampled(revision_id: int, rate: float, salt: str = "") -> bool:
    """True for about ``rate`` of all revision ids, always the same ones for one salt."""
    # The hash's tag predates the name "spot check": changing it would change every pick.
    digest = hmac.new(salt.encode(), f"audit:{revision_id}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") < rate * 2**64


def maybe_sample(session: Session, revision: CommentRevision, decision: Decision) -> bool:
    """Open a spot check for an automatic approval the hash picks; True if one was opened."""
    if decision.action != "approve" or decision.decided_by != "auto":
        return False
    if revision.payload["author"].get("source") == CORAL_SOURCE:
        return False  # Coral's phase: what follows our approval is Coral's moderators' call
    rate = float(current_app.config["SPOT_CHECK_RATE"])
    # Without a salt of its own, the app's secret key keeps the picks unpredictable.
    salt = current_app.config["SPOT_CHECK_SALT"] or current_app.config["SECRET_KEY"]
    if not sampled(revision.id, rate, salt):
        return False
    # Already spot-checked (a redelivery), or already before a human (a notice routed it there).
    taken = session.scalar(
        select(ReviewItem.id)
        .where(
            ReviewItem.comment_id == decision.comment_id,
            or_(
                ReviewItem.status == "open",
                (ReviewItem.queue == QUEUE) & (ReviewItem.revision == decision.revision),
            ),
        )
        .limit(1)
    )
    if taken is not None:
        return False
    comment = session.get_one(Comment, decision.comment_id)
    open_item(session, comment=comment, queue=QUEUE, priority=0, reasons=[QUEUE], replace=False)
    record_event(session, comment, "spot_check_sampled", actor="auto", rate=rate)
    return True
