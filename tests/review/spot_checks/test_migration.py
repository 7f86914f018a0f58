"""Migration 0009 renames the blind sample's names both ways (SQLite here, PostgreSQL too)."""

from __future__ import annotations

import json
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from moderation.authors.models import Author
from moderation.comments.models import Comment, Decision, Event
from moderation.dbcli import alembic_config
from moderation.extensions import db
from moderation.models import Base
from moderation.queue.models import ReviewItem
from moderation.sites.service import add_site

OLD_INDEX, NEW_INDEX = "uq_review_audit_revision", "uq_review_spot_check_revision"


def _seed() -> None:
    site, _ = add_site(db.session, slug="demo", callback_url="http://127.0.0.1:9/cb")
    author = Author(site_id=site.id, source="native", external_id="u1")
    db.session.add(author)
    db.session.flush()
    comment = Comment(
        site_id=site.id, external_id="c1", author_id=author.id, article_id="a1", body_hash="h"
    )
    db.session.add(comment)
    db.session.flush()
    common = {"comment_id": comment.id, "revision": 1}
    item = {"site_id": site.id, "article_id": "a1", "author_source": "native", **common}
    db.session.add_all(
        [
            ReviewItem(queue="spot_checks", reason="spot_checks", reasons=["spot_checks"], **item),
            ReviewItem(
                queue="pending", reason="insult", reasons=["insult"], status="resolved", **item
            ),
            Event(kind="spot_check_sampled", actor="auto", data={"rate": 1.0}, **common),
            Event(kind="approved", actor="auto", **common),
            _decision(comment.id, {"action": "approve", "model_version": "clf-x"}),
            _decision(
                comment.id,
                {
                    "action": "reject",
                    "spot_check": True,
                    "blind": True,
                    "sampled_decision": 1,
                    "sampled_model_version": "clf-x",
                },
            ),
            _decision(comment.id, {"action": "approve", "undo_of": 2, "sampled_decision": 1}),
        ]
    )
    db.session.commit()


def _decision(comment_id: int, record: dict[str, Any]) -> Decision:
    status = {"approve": "approved", "reject": "rejected"}[record["action"]]
    by = "moderator:ann" if "sampled_decision" in record else "auto"
    return Decision(
        comment_id=comment_id,
        revision=1,
        action=record["action"],
        status=status,
        decided_by=by,
        record=record,
    )


def _rows() -> dict[str, list[Any]]:
    # Read as stored, without the models (they know the new names only).
    def load(value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    with db.engine.connect() as conn:
        items = conn.execute(text("SELECT queue, reason, reasons FROM review_items ORDER BY id"))
        events = conn.execute(text("SELECT kind FROM events ORDER BY id"))
        records = conn.execute(text("SELECT record FROM decisions ORDER BY id"))
        return {
            "items": [(q, r, load(rs)) for q, r, rs in items],
            "events": [k for (k,) in events],
            "records": [load(r) for (r,) in records],
        }


def _indexes() -> set[str]:
    return {i["name"] for i in inspect(db.engine).get_indexes("review_items") if i["name"]}


def check_round_trip() -> None:
    """Seed spot checks at head, go down to 0008 and up again: every name follows."""
    _seed()
    db.session.close()
    at_head = _rows()
    assert NEW_INDEX in _indexes() and OLD_INDEX not in _indexes()
    config = alembic_config()
    command.downgrade(config, "0008")
    old = _rows()
    assert old["items"] == [("audit", "audit", ["audit"]), ("pending", "insult", ["insult"])]
    assert old["events"] == ["audit_sampled", "approved"]
    assert old["records"] == [
        {"action": "approve", "model_version": "clf-x"},
        {
            "action": "reject",
            "audit": True,
            "blind": True,
            "audited_decision": 1,
            "audited_model_version": "clf-x",
        },
        {"action": "approve", "undo_of": 2, "audited_decision": 1},
    ]
    assert OLD_INDEX in _indexes() and NEW_INDEX not in _indexes()
    command.upgrade(config, "head")
    assert _rows() == at_head
    assert NEW_INDEX in _indexes() and OLD_INDEX not in _indexes()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "spot_check" in repr(d) or "audit" in repr(d)] == []


def test_migration_0009_renames_both_ways(app):
    check_round_trip()
