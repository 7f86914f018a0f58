"""review queue flags sanctions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 21:07:15.704203
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from moderation.db import JSONType, UTCDateTime

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

OPEN_INDEXES = {
    "ix_review_open": [],
    "ix_review_open_reason": ["reason"],
    "ix_review_open_language": ["language"],
    "ix_review_open_source": ["author_source"],
    "ix_review_open_site": ["site_id"],
    "ix_review_open_article": ["article_id"],
}


def upgrade() -> None:
    op.create_table('sanctions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('until', UTCDateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('revoked_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['authors.id'], name=op.f('fk_sanctions_author_id_authors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sanctions'))
    )
    with op.batch_alter_table('sanctions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sanctions_author_id'), ['author_id'], unique=False)

    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('reporter_source', sa.String(length=32), nullable=False),
    sa.Column('reporter_id', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('weight', sa.Double(), nullable=False),
    sa.Column('low_standing', sa.Boolean(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_flags_comment_id_comments')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_flags_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags')),
    sa.UniqueConstraint('comment_id', 'reporter_source', 'reporter_id', name=op.f('uq_flags_comment_id'))
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index('ix_flags_reporter', ['site_id', 'reporter_source', 'reporter_id'], unique=False)

    op.create_table('review_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('queue', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=True),
    sa.Column('reasons', JSONType, nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('author_source', sa.String(length=32), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('claimed_by', sa.String(length=120), nullable=True),
    sa.Column('claim_expires_at', UTCDateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=120), nullable=True),
    sa.Column('resolved_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_review_items_comment_id_comments')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_review_items_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_items'))
    )
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.create_index('uq_review_open_comment', ['comment_id'], unique=True, postgresql_where=sa.text("status = 'open'"), sqlite_where=sa.text("status = 'open'"))
    # Queue pages walk these partial indexes in (priority desc, age) order.
    for name, columns in OPEN_INDEXES.items():
        op.create_index(
            name,
            "review_items",
            ["queue", *columns, sa.text("priority DESC"), "created_at", "id"],
            postgresql_where=sa.text("status = 'open'"),
            sqlite_where=sa.text("status = 'open'"),
        )


def downgrade() -> None:
    for name in OPEN_INDEXES:
        op.drop_index(name, table_name="review_items")
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.drop_index('uq_review_open_comment', postgresql_where=sa.text("status = 'open'"), sqlite_where=sa.text("status = 'open'"))

    op.drop_table('review_items')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('ix_flags_reporter')

    op.drop_table('flags')
    with op.batch_alter_table('sanctions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sanctions_author_id'))

    op.drop_table('sanctions')
