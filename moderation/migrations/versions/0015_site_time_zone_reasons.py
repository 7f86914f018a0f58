"""sites: a time zone for dates shown to people, and the reasons the reject dialog offers

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "sites",
        sa.Column("time_zone", sa.String(length=64), nullable=False, server_default="Europe/Paris"),
    )
    # Comma-separated reason codes; NULL: the default set (every configured ground).
    op.add_column("sites", sa.Column("reject_reasons", sa.Text(), nullable=True))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of ``sites`` would fail on
    # the foreign keys of the rows that point at it (as in 0011).
    op.drop_column("sites", "reject_reasons")
    op.drop_column("sites", "time_zone")
