"""report standing and comment search: flags.standing; French full-text search on PostgreSQL

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

#: The text search configuration the console's search uses (comments.search.CONFIG).
CONFIG = "french_unaccent"
# French stemming, accents folded when the unaccent extension can be had; else French alone
# (case-insensitive and stemmed, accents significant). Created once per database: kept by a
# downgrade, since other databases' objects never depend on it and re-creating is harmless.
_SEARCH_CONFIG = f"""
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS unaccent;
      CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = french);
      ALTER TEXT SEARCH CONFIGURATION {CONFIG}
        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    EXCEPTION WHEN undefined_file OR insufficient_privilege OR feature_not_supported THEN
      CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = french);
    END;
  END IF;
END $$;
"""
_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_revisions_search ON comment_revisions "
    f"USING gin (to_tsvector('{CONFIG}'::regconfig, body_text))"
)


def upgrade() -> None:
    op.add_column("flags", sa.Column("standing", sa.String(length=16), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_SEARCH_CONFIG)
        op.execute(_INDEX)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_revisions_search")
    with op.batch_alter_table("flags") as batch:
        batch.drop_column("standing")
