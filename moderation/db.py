"""SQLAlchemy 2 set-up: declarative base, engine and a scoped session per app."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import JSON, DateTime, MetaData, create_engine, event, make_url
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from moderation.text.normalize import fold_chars
from moderation.timings import stage

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        """Store as UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        """Read back as aware UTC."""
        if value is None:
            return None
        aware: dt.datetime = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base for every model."""

    metadata = MetaData(naming_convention=NAMING)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets the web and worker processes read while the other writes;
    # busy_timeout turns lock contention into waiting instead of errors.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
    # Case- and accent-insensitive search (comments.search): PostgreSQL has full text.
    dbapi_conn.create_function("fold", 1, _fold, deterministic=True)


def _fold(value: str | None) -> str | None:
    return None if value is None else fold_chars(value)


def private_sqlite(url: str) -> None:
    """Create a SQLite database file readable by this user only (0600, a new folder 0700).

    It holds comment bodies, IP addresses and e-mail addresses; SQLite would create it
    with the umask's mode (often world-readable). Its -wal and -shm files take its mode.
    An existing file that others can read is tightened.
    """
    name = make_url(url).database
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)


def make_engine(url: str, prepared: bool = True) -> Engine:
    """Create an engine with settings suited to the backend (``prepared``: psycopg's own)."""
    # hide_parameters: a database error logged with its traceback must not carry the
    # statement's values (comment text, names, e-mail and IP addresses) into the logs.
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine, "do_connect", lambda *_: private_sqlite(url))
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # psycopg prepares a statement on the server after 5 uses on a connection; through a
    # transaction pooler the next transaction may run on another server connection.
    args = {} if prepared else {"prepare_threshold": None}
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        hide_parameters=True,
        connect_args=args,
    )


class Database:
    """Sessions bound to the current app's engine, one per app context (request or task)."""

    def init_app(self, app: Flask) -> None:
        """Create the app's engine and close each context's session at its end."""
        prepared = app.config.get("DATABASE_PREPARED_STATEMENTS", True)
        engine = make_engine(app.config["DATABASE_URL"], prepared)
        app.extensions["db"] = (engine, sessionmaker(bind=engine, expire_on_commit=False))
        app.teardown_appcontext(lambda _exc: self.remove())

    @property
    def engine(self) -> Engine:
        """The current app's engine."""
        engine: Engine = current_app.extensions["db"][0]
        return engine

    @property
    def session(self) -> Session:
        """The current app context's session, created on first use."""
        if "db_session" not in g:
            g.db_session = current_app.extensions["db"][1]()
        session: Session = g.db_session
        return session

    def commit(self) -> None:
        """Commit the current context's unit of work, then run its after-commit hooks."""
        session = g.get("db_session")
        if session is not None:
            commit(session)

    def rollback(self) -> None:
        """Roll back the current context's unit of work and drop the work it queued."""
        session = g.get("db_session")
        if session is not None:
            session.rollback()
            _drop_on_commit(session)  # the event misses a transaction that ran no SQL

    def remove(self) -> None:
        """Close the current context's session (end of request or task)."""
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


#: The one ``Database``: ``moderation.extensions`` binds it in ``create_app``, and the small
#: app of the sites commands (``moderation.cliapp``) without importing Celery or Redis.
db = Database()


def on_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the session's current transaction has committed (never if not)."""
    session.info.setdefault("on_commit", []).append(callback)


def on_commit_batch(
    session: Session, key: Hashable, item: object, send: Callable[[list[object]], None]
) -> None:
    """Collect ``item`` under ``key``; once the transaction commits, ``send`` gets them all.

    One callback per key and transaction, however many items: work a transaction makes
    many of (the callbacks of a scoring batch) leaves in one message, not one each.
    """
    batches: dict[Hashable, list[object]] = session.info.setdefault("on_commit_batches", {})
    items = batches.get(key)
    if items is None:
        items = batches[key] = []
        on_commit(session, lambda: send(items))
    items.append(item)


def commit(session: Session) -> None:
    """Commit, then run the ``on_commit`` callbacks: only units of work call this.

    The owners are the request (``unit_of_work``), the base task class and the CLI
    commands; services only flush. Callbacks run after the commit returned, outside
    any transaction, so work they start (an inline task) opens its own.
    """
    try:
        session.commit()
    except Exception:
        _drop_on_commit(session)
        raise
    session.info.pop("on_commit_batches", None)
    for callback in session.info.pop("on_commit", []):
        callback()


@event.listens_for(Session, "after_rollback")
def _drop_on_commit(session: Session) -> None:
    # Work queued by a transaction that rolled back must never run.
    session.info.pop("on_commit", None)
    session.info.pop("on_commit_batches", None)


#: How many times a request's unit of work runs when it keeps losing unique-index races.
REPLAYS = 3


def unit_of_work(database: Database, view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a view so the request owns the transaction: commit once the view returned.

    A view that raises commits nothing: the session is closed (rolled back) at the
    end of the request, and the error handlers render the one error shape.
    """

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for attempt in range(1, REPLAYS + 1):
            try:
                response = view(*args, **kwargs)
                with stage("commit"):
                    database.commit()
                return response
            except IntegrityError:
                # A unique index lost a race with a concurrent request (the same new
                # comment, author or report): replay the whole unit of work, which
                # then finds the winner's row. Anything else is not retried.
                database.rollback()
                if attempt == REPLAYS:
                    raise
        raise AssertionError("unreachable")

    return wrapper


def own_requests(app: Flask, database: Database) -> None:
    """Make every registered view a unit of work (call after the blueprints)."""
    for name, view in list(app.view_functions.items()):
        app.view_functions[name] = unit_of_work(database, view)
