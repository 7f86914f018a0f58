"""The Transparency Database export (DSA art. 24(5)): stored statements, oldest first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.db import utcnow
from moderation.dsa.models import Statement
from moderation.dsa.statements import tdb_payload


def export_statements(session: Session, *, window: dt.timedelta) -> Iterator[dict[str, Any]]:
    """Each statement issued within ``window`` of now, in the database's own fields."""
    query = (
        select(Statement)
        .where(Statement.created_at >= utcnow() - window)
        .order_by(Statement.id)
        .execution_options(yield_per=500)
    )
    for statement in session.scalars(query):
        yield tdb_payload(statement)
