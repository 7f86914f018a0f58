"""The search on real PostgreSQL: French full text, accents folded, on its GIN index."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from moderation.extensions import db
from tests.review.test_history import check_search, found, post_comments

pytestmark = pytest.mark.integration


def test_search_on_postgresql(pg_app):
    post_comments(pg_app)
    check_search()
    assert found("réfléchir") == ["s-1"]  # French stemming: "réfléchissent"
    assert found("ÉLÈVES") == ["s-1", "s-3"]  # "élève" too, once stemmed
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(
        row[0]
        for row in db.session.execute(
            text(
                "EXPLAIN SELECT comment_id FROM comment_revisions WHERE "
                "to_tsvector('french_unaccent'::regconfig, body_text) @@ "
                "websearch_to_tsquery('french_unaccent'::regconfig, 'eleve')"
            )
        )
    )
    assert "ix_revisions_search" in plan
