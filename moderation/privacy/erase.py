"""Erasure of an author (GDPR art. 17): personal data become tombstones, decisions stay.

Kept, as the law requires (GDPR art. 17(3)(b), (e); DSA art. 17, 24(5)): the decisions
and statements of reasons, which carry no personal data. Erased: the author's name and
site id, every body, payload and IP of their comments, text spans and notes in their
decision records, their reports' and appeals' texts and contact details, and the notes
of reports on their comments. The author row is detached from the site's id, so their
next comment starts a fresh history.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from moderation.authors.models import Author, Sanction
from moderation.callbacks.models import Delivery
from moderation.callbacks.service import supersede_pending
from moderation.comments.audit import record_event
from moderation.comments.models import Comment, CommentRevision, Decision, Event
from moderation.db import utcnow
from moderation.dsa.models import Appeal
from moderation.flags.models import Flag
from moderation.privacy.models import PrivacyRequest
from moderation.queue.items import withdraw_items

TOMBSTONE = "[supprimé à la demande de la personne concernée]"
#: Statuses that still show or may show the comment: it leaves the site's moderation.
_LIVE = ("pending", "queued", "approved")


def erase_author(session: Session, *, author: Author, actor: str) -> dict[str, int]:
    """Erase the author's personal data (flushed); counts of what was erased."""
    alias = f"erased-{author.id}"
    identity = (author.source, author.external_id)
    comments = list(session.scalars(select(Comment).where(Comment.author_id == author.id)))
    for comment in comments:
        _erase_comment(session, comment, actor)
    reports = _erase_reports(session, author, [c.id for c in comments], alias)
    appeals = _erase_appeals(session, author, [c.id for c in comments], alias)
    _erase_actors(session, author.site_id, identity, alias)
    _erase_deliveries(session, author.site_id, identity, alias)
    session.execute(
        update(Sanction)
        .where(Sanction.author_id == author.id)
        .values(reason=None)
        .execution_options(synchronize_session=False)
    )
    author.name, author.email_verified, author.account_created_at = None, None, None
    author.external_id = alias  # the site's id now finds nobody: a fresh history next time
    session.add(
        PrivacyRequest(site_id=author.site_id, author_id=author.id, kind="erase", actor=actor)
    )
    session.flush()
    return {"comments": len(comments), "reports": reports, "appeals": appeals}


def _erase_comment(session: Session, comment: Comment, actor: str) -> None:
    for revision in session.scalars(
        select(CommentRevision).where(CommentRevision.comment_id == comment.id)
    ):
        revision.payload = {"id": comment.external_id, "erased": True}
        revision.body_text, revision.links = TOMBSTONE, []
        revision.payload_hash = revision.content_hash = _hash(f"erased:{revision.id}")
        revision.identifiers_erased_at = utcnow()
    comment.body_hash = _hash(f"erased:{comment.id}")
    if comment.status in _LIVE:
        comment.status, comment.queue, comment.updated_at = "deleted", None, utcnow()
        supersede_pending(session, comment_id=comment.id)
    withdraw_items(session, comment_id=comment.id)
    for decision in session.scalars(select(Decision).where(Decision.comment_id == comment.id)):
        decision.record = _clean_record(decision.record)
    for event in session.scalars(select(Event).where(Event.comment_id == comment.id)):
        if "note" in (event.data or {}):
            event.data = {k: v for k, v in event.data.items() if k != "note"}
    record_event(session, comment, "erased", actor=actor)


def _clean_record(record: dict[str, Any]) -> dict[str, Any]:
    """The decision record without what quotes the comment (match texts, explanations)."""
    rules = [
        {**hit, "matches": [{k: v for k, v in m.items() if k != "text"} for m in hit["matches"]]}
        if hit.get("matches")
        else hit
        for hit in record.get("rules") or []
    ]
    clean = {k: v for k, v in record.items() if k not in ("note", "explanations")}
    return {**clean, "rules": rules} if "rules" in record else clean


def _erase_reports(session: Session, author: Author, comment_ids: list[int], alias: str) -> int:
    mine = (
        (Flag.site_id == author.site_id)
        & (Flag.reporter_source == author.source)
        & (Flag.reporter_id == author.external_id)
    )
    flags = list(session.scalars(select(Flag).where(or_(mine, Flag.comment_id.in_(comment_ids)))))
    for flag in flags:
        if flag.note is not None:
            flag.note = TOMBSTONE
        if flag.comment_id in comment_ids and flag.explanation is not None:
            flag.explanation = TOMBSTONE  # a notice about the comment may quote it
        if (flag.reporter_source, flag.reporter_id) == (author.source, author.external_id):
            flag.reporter_id, flag.explanation = alias, TOMBSTONE if flag.explanation else None
            flag.notifier_name = TOMBSTONE if flag.notifier_name else None
            flag.notifier_email = None
    return len(flags)


def _erase_appeals(session: Session, author: Author, comment_ids: list[int], alias: str) -> int:
    mine = (Appeal.appellant_source == author.source) & (Appeal.appellant_id == author.external_id)
    appeals = list(
        session.scalars(
            select(Appeal).where(
                Appeal.site_id == author.site_id, or_(mine, Appeal.comment_id.in_(comment_ids))
            )
        )
    )
    for appeal in appeals:
        appeal.text = TOMBSTONE
        if (appeal.appellant_source, appeal.appellant_id) == (author.source, author.external_id):
            appeal.appellant_id = alias
    return len(appeals)


def _erase_actors(session: Session, site_id: int, identity: tuple[str, str], alias: str) -> None:
    """Audit events keep what happened, not who the erased person was."""
    source, external_id = identity
    on_site = select(Comment.id).where(Comment.site_id == site_id)
    for role in ("reader", "notifier", "author"):
        session.execute(
            update(Event)
            .where(Event.actor == f"{role}:{source}:{external_id}", Event.comment_id.in_(on_site))
            .values(actor=f"{role}:{source}:{alias}")
            .execution_options(synchronize_session=False)
        )


def _erase_deliveries(
    session: Session, site_id: int, identity: tuple[str, str], alias: str
) -> None:
    """Callbacks of notices and appeals name the person by the site's id: use the alias."""
    source, external_id = identity
    outbox = select(Delivery).where(Delivery.site_id == site_id, Delivery.extra.is_not(None))
    for delivery in session.scalars(outbox):
        extra = json.loads(json.dumps(delivery.extra))
        if not isinstance(extra, dict):  # a JSON null on some backends
            continue
        for key, party in (("notice", "reporter"), ("appeal", "appellant")):
            person = (extra.get(key) or {}).get(party) or {}
            if (person.get("source"), person.get("id")) == (source, external_id):
                person["id"] = alias
        if extra != delivery.extra:
            delivery.extra = extra


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
