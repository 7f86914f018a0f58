"""comment lists: newest first, and by article (the console's Commentaires and article pages)

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_comments_received", "comments", ["received_at", "id"])
    op.create_index("ix_comments_site_article", "comments", ["site_id", "article_id"])


def downgrade() -> None:
    op.drop_index("ix_comments_site_article", table_name="comments")
    op.drop_index("ix_comments_received", table_name="comments")
