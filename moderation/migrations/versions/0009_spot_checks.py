"""spot checks: the blind sample's queue, index, event kind and record keys lose "audit"

"Audit" now means the audit trail only. Review items of the ``audit`` queue move to
``spot_checks`` (with their reason), their unique index is renamed, ``audit_sampled``
events become ``spot_check_sampled``, and decision records say ``spot_check``,
``sampled_decision`` and ``sampled_model_version``. Downgrade puts every name back.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

from moderation.db import JSONType

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

#: (old, new) names, applied in order on upgrade and reversed on downgrade.
_QUEUE = ("audit", "spot_checks")
_INDEX = ("uq_review_audit_revision", "uq_review_spot_check_revision")
_EVENT = ("audit_sampled", "spot_check_sampled")
_KEYS = (
    ("audit", "spot_check"),
    ("audited_decision", "sampled_decision"),
    ("audited_model_version", "sampled_model_version"),
)


def upgrade() -> None:
    _rename(forward=True)


def downgrade() -> None:
    _rename(forward=False)


def _rename(*, forward: bool) -> None:
    def pick(pair: tuple[str, str]) -> tuple[str, str]:
        return pair if forward else (pair[1], pair[0])

    old_queue, new_queue = pick(_QUEUE)
    old_index, new_index = pick(_INDEX)
    op.drop_index(old_index, table_name="review_items")
    _replace("review_items", "queue", old_queue, new_queue)
    in_queue = f"queue = '{new_queue}'"
    _replace("review_items", "reason", old_queue, new_queue, also=in_queue)
    _rewrite_json("review_items", "reasons", in_queue, _list_renamer(old_queue, new_queue))
    _replace("events", "kind", *pick(_EVENT))
    keys = [pick(pair) for pair in _KEYS]
    _rewrite_json("decisions", "record", _has_any_key([k for k, _ in keys]), _key_renamer(keys))
    op.create_index(
        new_index,
        "review_items",
        ["comment_id", "revision"],
        unique=True,
        postgresql_where=sa.text(in_queue),
        sqlite_where=sa.text(in_queue),
    )


def _replace(table: str, column: str, old: str, new: str, also: str = "TRUE") -> None:
    statement = f"UPDATE {table} SET {column} = :new WHERE {column} = :old AND {also}"
    op.execute(sa.text(statement).bindparams(new=new, old=old))


def _has_any_key(keys: list[str]) -> str:
    # Only the rows that carry a key are read and written: the blind labels, a small share.
    if op.get_bind().dialect.name == "postgresql":
        return "record ?| array[" + ", ".join(f"'{k}'" for k in keys) + "]"
    return " OR ".join(f"json_type(record, '$.{k}') IS NOT NULL" for k in keys)


def _list_renamer(old: str, new: str) -> Callable[[Any], Any]:
    def rename(value: list[str]) -> list[str]:
        return [new if item == old else item for item in value]

    return rename


def _key_renamer(keys: list[tuple[str, str]]) -> Callable[[Any], Any]:
    names = dict(keys)

    def rename(value: dict[str, Any]) -> dict[str, Any]:
        return {names.get(k, k): v for k, v in value.items()}

    return rename


def _rewrite_json(table: str, column: str, where: str, rename: Callable[[Any], Any]) -> None:
    # Rewritten in Python through the JSON type: one path for SQLite's text and PG's JSONB.
    bind = op.get_bind()
    query = sa.text(f"SELECT id, {column} FROM {table} WHERE {where}")
    rows = bind.execute(query.columns(sa.column("id", sa.Integer), sa.column(column, JSONType)))
    update = sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id").bindparams(
        sa.bindparam("value", type_=JSONType)
    )
    changed = [{"id": i, "value": rename(v)} for i, v in rows if v is not None and rename(v) != v]
    if changed:
        bind.execute(update, changed)
