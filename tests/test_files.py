"""The SQLite database and its folder are the service's own: 0600 and 0700."""

from __future__ import annotations

import stat

from sqlalchemy import text

from moderation.db import make_engine, private_sqlite


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_folder_are_private(tmp_path):
    path = tmp_path / "var" / "moderation.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x TEXT)"))
        conn.execute(text("INSERT INTO t VALUES ('un commentaire')"))
        wal = path.with_name(path.name + "-wal")
        assert wal.exists() and mode(wal) == 0o600
    engine.dispose()
    assert mode(path.parent) == 0o700
    assert mode(path) == 0o600


def test_an_existing_world_readable_database_is_tightened(tmp_path):
    path = tmp_path / "old.sqlite"
    path.write_bytes(b"")
    path.chmod(0o644)
    private_sqlite(f"sqlite:///{path}")
    assert mode(path) == 0o600
    private_sqlite("sqlite:///:memory:")  # nothing to do


def test_migrating_creates_the_folder_private(tmp_path, app):
    from moderation.dbcli import upgrade

    path = tmp_path / "fresh" / "db.sqlite"
    upgrade(f"sqlite:///{path}")
    assert mode(path.parent) == 0o700 and mode(path) == 0o600


def test_make_run_creates_var_private():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    assert "mkdir -p -m 700 var" in makefile
