"""The ``spot_checks`` queue: blind items, the label's record, and undoing a label.

A spot check is an automatic approval picked at random (scoring/spot_checks.py). The
moderator sees the text and its context only, never the scores, rule hits, explanations,
reader reports or the author's standing, so the label does not echo the model (anchoring,
docs/model.md). A rejection overturns the approval through the normal decision path (the
site hears ``rejected``, a statement of reasons is issued); an approval confirms it.
"""

from __future__ import annotations

from typing import Any

from moderation.accounts.models import User
from moderation.comments.models import Decision
from moderation.db import utcnow

QUEUE = "spot_checks"
#: The only parts of the comment record a spot check shows.
_SHOWN = ("id", "site", "revision", "body", "parent", "language", "article", "links")


def blind(view: dict[str, Any]) -> dict[str, Any]:
    """A presented queue item with everything but the comment's text and context left out."""
    comment = {k: v for k, v in view["comment"].items() if k in _SHOWN}
    return {
        "id": view["id"],
        "queue": view["queue"],
        "priority": view["priority"],
        "reasons": [QUEUE],
        "created_at": view["created_at"],
        "comment": comment,
        "author": {},
        "flags": [],
        "claim": view["claim"],
        "version": view["version"],
        "blind": True,
    }


def spot_check_record(moderator: dict[str, Any], sampled: Decision | None) -> dict[str, Any]:
    """A blind label's decision record: the moderator's word marked ``spot_check``, no evidence."""
    own = ("action", "decided_by", "reason", "note", "decided_at")
    return {
        **{k: moderator.get(k) for k in own},
        "spot_check": True,
        "blind": True,
        # The automatic approval that was sampled, and the model that made it.
        "sampled_decision": sampled.id if sampled else None,
        "sampled_model_version": sampled.model_version if sampled else None,
        "labelled_at": moderator.get("decided_at"),
    }


def restored_record(label: dict[str, Any], user: User, undone_id: int) -> dict[str, Any]:
    """The record standing after a label is undone: the approval again, exported by nobody."""
    return {
        "action": "approve",
        "decided_by": f"moderator:{user.name}",
        "reason": None,
        "undo_of": undone_id,
        "sampled_decision": label.get("sampled_decision"),
        "decided_at": utcnow().isoformat(),
    }
