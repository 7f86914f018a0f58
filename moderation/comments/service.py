"""Intake: store a comment or a new revision, answer replays, delete; build records."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

import moderation.jobs as jobs
from moderation.authors.service import move_status, upsert_author
from moderation.callbacks.service import supersede_pending
from moderation.comments.audit import record_event
from moderation.comments.models import Comment, CommentRevision, Decision
from moderation.comments.schemas import is_blank
from moderation.comments.texts import Texts, load_texts, remember_text
from moderation.db import utcnow
from moderation.exceptions import Conflict, Invalid, NotFound, TooLarge
from moderation.queue.items import withdraw_items
from moderation.sites.models import Site
from moderation.text.html import body_to_text

log = logging.getLogger(__name__)

NO_TEXT = "Has no text once HTML is reduced."


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def body_fingerprint(text: str) -> str:
    """Hash of a body for duplicate detection: case and spacing do not make it new."""
    return _sha256(" ".join(text.casefold().split()))


def find_comment(session: Session, site: Site, external_id: str, *, lock: bool = False) -> Comment:
    """The site's comment, or ``NotFound``."""
    query = select(Comment).where(Comment.site_id == site.id, Comment.external_id == external_id)
    comment = session.scalar(query.with_for_update() if lock else query)
    if comment is None:
        raise NotFound(f"No comment {external_id!r} on site {site.slug!r}.")
    return comment


def receive_comment(
    session: Session, *, site: Site, data: dict[str, Any], enqueue: bool = True
) -> tuple[Comment, bool]:
    """Store a new comment or revision; return it and whether anything new was stored.

    A new revision is scored by a worker after commit, unless ``enqueue`` is False: the
    caller then decides it in its own unit of work (Coral's synchronous phase).
    """
    limit = current_app.config["MAX_TEXT_CHARS"]
    too_long = TooLarge(f"Comment text is over {limit} characters.", code="text_too_long")
    # The limit is on the text readers see; HTML markup may add up to three times as
    # much again. The raw check comes first so oversize markup is never parsed.
    if len(data["body"]) > limit * 4:
        raise TooLarge(
            f"Comment body is over {limit * 4} characters, markup included "
            f"(its text may have up to {limit}).",
            code="text_too_long",
        )
    text, links = body_to_text(data["body"], data["body_format"])
    if len(text) > limit:
        raise too_long
    if is_blank(text) and not links:
        # Images and other media are dropped by the reduction: an image-only comment
        # would be approved unseen. One that keeps only a link stays (the rules judge it).
        raise Invalid("Invalid fields.", fields={"body": [NO_TEXT]})
    content_hash = _sha256(data["body_format"] + "\x00" + data["body"])
    # Two requests for the same new comment (or author) may race: the loser's flush
    # raises IntegrityError and the request replays its unit of work (db.unit_of_work),
    # then sees the winner's row.
    comment, created = _store(session, site, data, text, links, content_hash)
    if created and enqueue:
        jobs.score(session, comment.id, comment.revision)
    return comment, created


def _store(
    session: Session,
    site: Site,
    data: dict[str, Any],
    text: str,
    links: list[str],
    content_hash: str,
) -> tuple[Comment, bool]:
    query = select(Comment).where(Comment.site_id == site.id, Comment.external_id == data["id"])
    comment = session.scalar(query.with_for_update())
    if comment is None:
        comment = _new_comment(session, site, data, text)
    elif comment.status == "deleted":
        raise Conflict("This comment was deleted; it cannot be revised.", code="comment_deleted")
    elif _known_content(session, comment, content_hash):
        return comment, False  # a replay, or a late retry of an older revision
    else:
        _new_revision(session, comment)
    log.info(
        "comment received",
        extra={"site": site.slug, "comment": data["id"], "revision": comment.revision},
    )
    revision = CommentRevision(
        comment_id=comment.id,
        revision=comment.revision,
        payload=json.loads(json.dumps(data, default=str)),
        payload_hash=_sha256(json.dumps(data, sort_keys=True, default=str)),
        content_hash=content_hash,
        body_text=text,
        links=links,
    )
    session.add(revision)
    if comment.revision > 1:  # a new comment got both at construction: no extra UPDATE
        comment.body_hash = body_fingerprint(text)
        comment.scoring_enqueued_at = utcnow()
    session.flush()
    remember_text(session, revision)
    return comment, True


def _new_comment(session: Session, site: Site, data: dict[str, Any], text: str) -> Comment:
    author = upsert_author(session, site_id=site.id, data=data["author"])
    session.flush()
    article = data["article"]
    comment = Comment(
        site_id=site.id,
        external_id=data["id"],
        author_id=author.id,
        article_id=article["id"],
        article=json.loads(json.dumps(article, default=str)),
        parent_id=data.get("parent_id"),
        revision=1,
        status="pending",
        language=data.get("language"),
        body_hash=body_fingerprint(text),
        scoring_enqueued_at=utcnow(),
    )
    session.add(comment)
    session.flush()
    return comment


def _known_content(session: Session, comment: Comment, content_hash: str) -> bool:
    hashes = session.scalars(
        select(CommentRevision.content_hash).where(CommentRevision.comment_id == comment.id)
    )
    return content_hash in set(hashes)


def _new_revision(session: Session, comment: Comment) -> None:
    move_status(session, author_id=comment.author_id, old=comment.status, new="pending")
    comment.revision += 1
    comment.status, comment.queue, comment.decided_at = "pending", None, None
    comment.updated_at = utcnow()
    supersede_pending(session, comment_id=comment.id)
    withdraw_items(session, comment_id=comment.id)


def delete_comment(session: Session, *, site: Site, external_id: str) -> Comment:
    """The site removed the comment: it leaves the queue; record and history stay."""
    comment = find_comment(session, site, external_id, lock=True)
    if comment.status != "deleted":
        move_status(session, author_id=comment.author_id, old=comment.status, new="deleted")
        comment.status, comment.queue, comment.updated_at = "deleted", None, utcnow()
        supersede_pending(session, comment_id=comment.id)
        withdraw_items(session, comment_id=comment.id)
        record_event(session, comment, "deleted", actor="site")
    return comment


def current_decision(session: Session, comment: Comment) -> Decision | None:
    """The latest decision on the comment's current revision."""
    return session.scalar(
        select(Decision)
        .where(Decision.comment_id == comment.id, Decision.revision == comment.revision)
        .order_by(Decision.id.desc())
        .limit(1)
    )


def comment_record(session: Session, comment: Comment, site: Site) -> dict[str, Any]:
    """The comment record of SPEC §3."""
    # A pending revision has no decision yet: skip the query on the intake path.
    decision = None if comment.status == "pending" else current_decision(session, comment)
    return build_record(comment, site, decision, load_texts(session, [comment]))


def build_record(
    comment: Comment, site: Site, decision: Decision | None, texts: Texts
) -> dict[str, Any]:
    """The comment record from rows already loaded (queue pages load them in bulk)."""
    return {
        "id": comment.external_id,
        "site": site.slug,
        "revision": comment.revision,
        "body": texts.body(comment),
        "parent": texts.parent(comment),
        "status": comment.status,
        "queue": comment.queue,
        "language": comment.language,
        "decision": decision.record if decision is not None else None,
        "links": {"self": f"/v1/sites/{site.slug}/comments/{comment.external_id}"},
    }
