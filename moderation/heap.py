"""The garbage collector in long-running processes: the start-up heap is left out of it.

A full (generation 2) collection walks every tracked object. After ``create_app`` that
is some 217,000 objects (Flask, SQLAlchemy, marshmallow, scikit-learn, the rules): the
90-130 ms pauses at the tail of the queue pages on a quiet host, 400-800 ms on a loaded
one (bench/REPORT.md). ``gc.freeze`` moves them to a permanent generation that
collections skip; they live as long as the process anyway.
"""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Collect once, then freeze every object alive now (once per process)."""
    if gc.get_freeze_count():  # tests build many apps: only the first one's are frozen
        return
    gc.collect()
    gc.freeze()
