"""The garbage collector in long-running processes: the start-up heap is left out of it.

A full (generation 2) collection walks every tracked object. After ``create_app`` that
is some 220,000 objects (Flask, SQLAlchemy, marshmallow, scikit-learn, the rules), so
each one took 100-130 ms on an idle host and 400-800 ms on a loaded one: the pauses
seen at the tail of the queue pages. ``gc.freeze`` moves them to a permanent
generation that collections skip; they live as long as the process anyway.
"""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Collect once, then freeze every object alive now (once per process)."""
    if gc.get_freeze_count():  # tests build many apps: only the first one's are frozen
        return
    gc.collect()
    gc.freeze()
