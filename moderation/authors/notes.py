"""Moderators' notes on authors and lifting sanctions: the console's author drawer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.authors.models import Author, AuthorNote, Sanction
from moderation.db import utcnow
from moderation.exceptions import Conflict, Invalid, NotFound

MAX_NOTE = 2000


def get_author(session: Session, author_id: int) -> Author:
    """The author by internal id, or ``NotFound``."""
    author = session.get(Author, author_id)
    if author is None:
        raise NotFound(f"No author {author_id}.")
    return author


def add_note(session: Session, *, author: Author, body: str, actor: str) -> AuthorNote:
    """Keep a moderator's note on the author."""
    text = body.strip()
    if not text or len(text) > MAX_NOTE:
        message = f"A note is 1 to {MAX_NOTE} characters."
        raise Invalid(message, fields={"body": [message]})
    note = AuthorNote(author_id=author.id, body=text, created_by=actor)
    session.add(note)
    session.flush()
    return note


def notes_of(session: Session, *, author: Author) -> list[AuthorNote]:
    """The author's notes, newest first."""
    query = select(AuthorNote).where(AuthorNote.author_id == author.id)
    return list(session.scalars(query.order_by(AuthorNote.id.desc())))


def lift_sanction(session: Session, *, author: Author, sanction_id: int) -> Sanction:
    """End a sanction now (the row stays, with its revocation time)."""
    sanction = session.get(Sanction, sanction_id)
    if sanction is None or sanction.author_id != author.id:
        raise NotFound(f"No sanction {sanction_id} on this author.")
    if sanction.revoked_at is not None:
        raise Conflict("This sanction was already lifted.")
    sanction.revoked_at = utcnow()
    session.flush()
    return sanction
