"""Cursor walks on real PostgreSQL (row comparisons, two index ranges per priority)."""

from __future__ import annotations

import pytest

from tests.review.test_queue_pages import check_every_walk

pytestmark = pytest.mark.integration


def test_cursor_walks_keep_the_order_on_postgresql(pg_app):
    check_every_walk()
