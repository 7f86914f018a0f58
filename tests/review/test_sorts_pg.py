"""The console's queue queries on real PostgreSQL: the section filter (JSON) and every sort."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from moderation.extensions import db
from moderation.review import service

pytestmark = pytest.mark.integration


def _cursor() -> str:
    raw = json.dumps([10, dt.datetime.now(dt.UTC).isoformat(), 5])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize("sort", service.SORTS)
def test_section_filter_and_sorts_compile_on_postgresql(pg_app, sort):
    for cursor in (None, _cursor()):
        items, following = service.list_queue(
            db.session,
            queue="pending",
            filters={"section": "international", "language": "fr"},
            limit=10,
            cursor=cursor,
            sort=sort,
        )
        assert items == [] and following is None
