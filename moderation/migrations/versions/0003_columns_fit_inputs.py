"""columns wide enough for every input the API accepts (PostgreSQL refused the rest)

- events.actor holds "reader:" + reporter source (32) + ":" + reporter id (200)
- comments.language holds the site's language hint (up to 16) until a decision

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

WIDER = {("events", "actor"): (120, 255), ("comments", "language"): (8, 16)}


def _alter(narrow_to_wide: bool) -> None:
    # SQLite does not enforce VARCHAR lengths, and rebuilding these tables (its only way
    # to change a column) would trip the foreign keys that point at them: nothing to do.
    if op.get_bind().dialect.name == "sqlite":
        return
    for (table, column), (narrow, wide) in WIDER.items():
        old, new = (narrow, wide) if narrow_to_wide else (wide, narrow)
        op.alter_column(
            table,
            column,
            existing_type=sa.String(length=old),
            type_=sa.String(length=new),
            existing_nullable=column != "language",
        )


def upgrade() -> None:
    _alter(narrow_to_wide=True)


def downgrade() -> None:
    _alter(narrow_to_wide=False)
