"""Item versions: what a moderator saw, so no decision is taken on a card that changed since.

A version is the comment's revision and its ``updated_at`` stamp (in microseconds), both
of which every decision, undo, new revision and deletion moves on. A decision request
names the version of each item it decides; any item that moved on refuses the whole
request (409 ``stale_version``), so a selection left over from before an undo, or a card
another moderator decided meanwhile, can never be decided a second time by mistake.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.comments.models import Comment
from moderation.exceptions import Conflict, Invalid
from moderation.numbers import ascii_int
from moderation.queue.models import ReviewItem

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICRO = dt.timedelta(microseconds=1)


def version_of(revision: int, updated_at: dt.datetime) -> str:
    """The version a card shows: ``REVISION.MICROSECONDS``."""
    stamp = updated_at if updated_at.tzinfo else updated_at.replace(tzinfo=dt.UTC)
    return f"{revision}.{(stamp - _EPOCH) // _MICRO}"


def parse_versions(tokens: Iterable[str]) -> dict[int, str]:
    """``ITEM:VERSION`` tokens (space- or list-separated) as {item id: version}."""
    seen: dict[int, str] = {}
    for token in (part for raw in tokens for part in raw.split()):
        item, _, version = token.partition(":")
        item_id = ascii_int(item)
        if item_id is None or not version or len(version) > 40:
            raise Invalid("Bad item version.", fields={"versions": [f"Bad token {token[:60]!r}."]})
        seen[item_id] = version
    return seen


def check_versions(session: Session, item_ids: list[int], seen: dict[int, str]) -> None:
    """``Conflict`` (409, ``stale_version``) naming every item not as the moderator saw it.

    An item without a version is refused (``Invalid``): the check is not optional.
    """
    rows = session.execute(
        select(ReviewItem.id, ReviewItem.status, Comment.revision, Comment.updated_at)
        .join(Comment, Comment.id == ReviewItem.comment_id)
        .where(ReviewItem.id.in_(item_ids))
    ).all()
    missing = [str(item_id) for item_id in item_ids if item_id not in seen]
    if missing:
        message = "Name the version you saw of each item (ITEM:VERSION)."
        raise Invalid(message, fields={"versions": [f"Missing for {', '.join(missing)}."]})
    now = {item_id: (status, version_of(rev, at)) for item_id, status, rev, at in rows}
    stale: dict[str, list[str]] = {}
    for item_id in item_ids:
        status, version = now.get(item_id, ("gone", ""))
        if status != "open" or version != seen[item_id]:
            stale[f"items.{item_id}"] = [f"Item {item_id} changed since you saw it ({status})."]
    if stale:
        count, names = len(stale), ", ".join(k.removeprefix("items.") for k in stale)
        message = (
            f"{count} item{'s' if count > 1 else ''} changed since you saw "
            f"{'them' if count > 1 else 'it'} ({names}); nothing was decided: reload the queue."
        )
        raise Conflict(message, code="stale_version", fields=stale)


def current_versions(session: Session, item_ids: list[int]) -> dict[int, str]:
    """The versions of these items now (after an undo, the cards show them again)."""
    rows = session.execute(
        select(ReviewItem.id, Comment.revision, Comment.updated_at)
        .join(Comment, Comment.id == ReviewItem.comment_id)
        .where(ReviewItem.id.in_(item_ids))
    )
    return {item_id: version_of(rev, at) for item_id, rev, at in rows}
