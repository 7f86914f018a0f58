"""EU duties: statements of reasons, appeals, notices on flags, identifier retention

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from moderation.db import JSONType, UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

def _flag_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("law", sa.Text(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("notifier_name", sa.String(length=200), nullable=True),
        sa.Column("notifier_email", sa.String(length=320), nullable=True),
        sa.Column("bona_fide", sa.Boolean(), nullable=True),
        sa.Column("notified_at", UTCDateTime(), nullable=True),
    ]


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def _statements() -> None:
    op.create_table(
        "statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("puid", sa.String(length=64), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("sanction_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("data", JSONType, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("appeal_until", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _fk("statements", "site_id", "sites"),
        _fk("statements", "author_id", "authors"),
        _fk("statements", "comment_id", "comments"),
        _fk("statements", "decision_id", "decisions"),
        _fk("statements", "sanction_id", "sanctions"),
        sa.PrimaryKeyConstraint("id", name="pk_statements"),
        sa.UniqueConstraint("puid", name="uq_statements_puid"),
    )
    op.create_index("ix_statements_comment", "statements", ["comment_id", "id"])
    op.create_index("ix_statements_created", "statements", ["created_at"])
    op.create_index("ix_statements_author_id", "statements", ["author_id"])


def _appeals() -> None:
    op.create_table(
        "appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("appellant_source", sa.String(length=32), nullable=False),
        sa.Column("appellant_id", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _fk("appeals", "statement_id", "statements"),
        _fk("appeals", "comment_id", "comments"),
        _fk("appeals", "site_id", "sites"),
        sa.PrimaryKeyConstraint("id", name="pk_appeals"),
        sa.UniqueConstraint("statement_id", name="uq_appeals_statement_id"),
    )
    op.create_index("ix_appeals_comment_id", "appeals", ["comment_id"])


def _privacy_requests() -> None:
    op.create_table(
        "privacy_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _fk("privacy_requests", "site_id", "sites"),
        _fk("privacy_requests", "author_id", "authors"),
        sa.PrimaryKeyConstraint("id", name="pk_privacy_requests"),
    )
    op.create_index("ix_privacy_requests_author_id", "privacy_requests", ["author_id"])


def upgrade() -> None:
    _statements()
    _appeals()
    _privacy_requests()
    # Plain ADD COLUMNs (nullable or with a server default): no table rebuild on SQLite.
    for column in _flag_columns():
        op.add_column("flags", column)
    op.add_column("comment_revisions", sa.Column("identifiers_erased_at", UTCDateTime()))
    due = sa.text("identifiers_erased_at IS NULL")
    op.create_index(
        "ix_revisions_identifiers_due",
        "comment_revisions",
        ["received_at"],
        postgresql_where=due,
        sqlite_where=due,
    )
    op.add_column(
        "deliveries",
        sa.Column(
            "event", sa.String(length=32), nullable=False, server_default="comment.moderated"
        ),
    )
    op.add_column("deliveries", sa.Column("extra", JSONType, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("extra")
        batch.drop_column("event")
    op.drop_index("ix_revisions_identifiers_due", table_name="comment_revisions")
    with op.batch_alter_table("comment_revisions") as batch:
        batch.drop_column("identifiers_erased_at")
    with op.batch_alter_table("flags") as batch:
        for column in _flag_columns():
            batch.drop_column(column.name)
    op.drop_table("privacy_requests")
    op.drop_table("appeals")
    op.drop_table("statements")
