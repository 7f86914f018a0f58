"""v2 signatures: sites created before them keep accepting ``sha256=`` until they turn it off

Existing sites get ``legacy_signatures`` true (their integrations sign the old way); sites
created from now on get false (they sign ``v2=`` from the start).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "sites",
        sa.Column("legacy_signatures", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute(sa.text("UPDATE sites SET legacy_signatures = :on").bindparams(on=True))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of ``sites`` would fail on
    # the foreign keys of the rows that point at it.
    op.drop_column("sites", "legacy_signatures")
