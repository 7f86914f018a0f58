"""The start-up heap is frozen, so full collections in a serving process stay short."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import gc, json
from moderation.app import create_app
create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
frozen, tracked = gc.get_freeze_count(), len(gc.get_objects())
create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
again = gc.get_freeze_count()
print(json.dumps([frozen, tracked, again]))
"""


def test_create_app_freezes_the_start_up_heap_once(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert done.returncode == 0, done.stderr
    frozen, tracked, again = json.loads(done.stdout.splitlines()[-1])
    assert frozen > 50_000  # Flask, SQLAlchemy, scikit-learn...: all out of the collector's walk
    assert tracked < frozen / 10  # what a full collection still walks right after start-up
    assert again == frozen  # a second app (tests) freezes nothing more
