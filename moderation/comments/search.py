"""Finding comments by words: their current text, their author's name or id, their article.

PostgreSQL: full-text search in French (stemmed; accents folded when the ``unaccent``
extension was there at migration 0013), on the GIN index ``ix_revisions_search``.
SQLite: case- and accent-insensitive substring matching through the ``fold`` function
each connection registers (``db._sqlite_pragmas``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, literal_column, or_, select, tuple_
from sqlalchemy.orm import Session

from moderation.authors.models import Author
from moderation.comments.models import Comment, CommentRevision

#: The text search configuration migration 0013 creates (French, accents folded).
CONFIG = "french_unaccent"
MAX_QUERY = 200


def matching(session: Session, query: str) -> ColumnElement[bool]:
    """A condition on ``Comment``: its current text, author or article matches ``query``."""
    words = " ".join(query.split())[:MAX_QUERY]
    postgres = session.get_bind().dialect.name == "postgresql"
    texts = _text_matches(words) if postgres else _folded_matches(words)
    current = tuple_(Comment.id, Comment.revision).in_(texts)
    authors = select(Author.id).where(
        or_(Author.external_id == words, _contains(Author.name, words, postgres))
    )
    return or_(
        current,
        Comment.author_id.in_(authors),
        Comment.article_id == words,
        _contains(Comment.article["title"].as_string(), words, postgres),
    )


def search_ids(session: Session, query: str) -> Any:
    """The ids of the comments ``query`` matches, as a subquery."""
    return select(Comment.id).where(matching(session, query))


def _text_matches(words: str) -> Any:
    config: Any = literal_column(f"'{CONFIG}'::regconfig")  # a constant, as the index has it
    document = func.to_tsvector(config, CommentRevision.body_text)
    return select(CommentRevision.comment_id, CommentRevision.revision).where(
        document.op("@@")(func.websearch_to_tsquery(config, words))
    )


def _folded_matches(words: str) -> Any:
    return select(CommentRevision.comment_id, CommentRevision.revision).where(
        _contains(CommentRevision.body_text, words, postgres=False)
    )


def _contains(column: Any, words: str, postgres: bool) -> ColumnElement[bool]:
    # LIKE's wildcards in the query are taken literally.
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if postgres:
        return column.ilike(f"%{escaped}%", escape="\\")  # type: ignore[no-any-return]
    pattern = func.fold(f"%{escaped}%")
    return func.fold(column).like(pattern, escape="\\")
