"""blind audits: at most one audit queue item per comment revision

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_AUDIT = sa.text("queue = 'audit'")


def upgrade() -> None:
    op.create_index(
        "uq_review_audit_revision",
        "review_items",
        ["comment_id", "revision"],
        unique=True,
        postgresql_where=_AUDIT,
        sqlite_where=_AUDIT,
    )


def downgrade() -> None:
    op.drop_index("uq_review_audit_revision", table_name="review_items")
