"""moderator console: console passwords, moderator notes on authors, an age index on the queue

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from moderation.db import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("password_hash", sa.String(length=255), nullable=True))
    op.create_table(
        "author_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["authors.id"], name=op.f("fk_author_notes_author_id_authors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_author_notes")),
    )
    op.create_index(op.f("ix_author_notes_author_id"), "author_notes", ["author_id"])
    op.create_index(
        "ix_review_open_age",
        "review_items",
        ["queue", "created_at", "id"],
        postgresql_where=_OPEN,
        sqlite_where=_OPEN,
    )


def downgrade() -> None:
    op.drop_index("ix_review_open_age", table_name="review_items")
    op.drop_index(op.f("ix_author_notes_author_id"), table_name="author_notes")
    op.drop_table("author_notes")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("password_hash")
