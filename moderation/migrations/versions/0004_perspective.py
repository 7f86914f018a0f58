"""perspective-compatible API: keys, kept texts, feedback

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from moderation.db import JSONType, UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "perspective_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_perspective_keys_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_perspective_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_perspective_keys_key_hash")),
    )
    op.create_index(op.f("ix_perspective_keys_site_id"), "perspective_keys", ["site_id"])
    for table, columns in (
        ("perspective_requests", [
            sa.Column("scores", JSONType, nullable=False),
            sa.Column("model_version", sa.String(length=100), nullable=False),
        ]),
        ("perspective_feedback", [sa.Column("labels", JSONType, nullable=False)]),
    ):
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("site_id", sa.Integer(), nullable=False),
            sa.Column("key_id", sa.Integer(), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("language", sa.String(length=16), nullable=False),
            *columns,
            sa.Column("client_token", sa.String(length=256), nullable=True),
            sa.Column("created_at", UTCDateTime(), nullable=False),
            sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f(f"fk_{table}_site_id_sites")),
            sa.ForeignKeyConstraint(
                ["key_id"], ["perspective_keys.id"], name=op.f(f"fk_{table}_key_id_perspective_keys")
            ),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        )
        op.create_index(op.f(f"ix_{table}_site_id"), table, ["site_id"])
        op.create_index(op.f(f"ix_{table}_created_at"), table, ["created_at"])


def downgrade() -> None:
    for table in ("perspective_feedback", "perspective_requests"):
        op.drop_index(op.f(f"ix_{table}_created_at"), table_name=table)
        op.drop_index(op.f(f"ix_{table}_site_id"), table_name=table)
        op.drop_table(table)
    op.drop_index(op.f("ix_perspective_keys_site_id"), table_name="perspective_keys")
    op.drop_table("perspective_keys")
