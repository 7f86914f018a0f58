"""Alembic migrations (run with ``moderation db upgrade``)."""
