"""Numbers from clients: ASCII digits only, and no larger than an INTEGER column holds.

``str.isdigit()`` and ``\\d`` accept "²" and other scripts' digits, which ``int()`` refuses
or reads: a client's odd input must stay a client error (400, 401, 404), never a 500.
"""

from __future__ import annotations

import re

from werkzeug.routing import IntegerConverter

#: The largest value of the INTEGER columns (ids, priority) on every backend.
MAX_INT = 2**31 - 1
DIGITS = re.compile(r"[0-9]{1,10}")


def ascii_int(text: str | None, *, limit: int = MAX_INT) -> int | None:
    """``text`` as a non-negative integer up to ``limit``, or None if it is anything else."""
    if text is None or not DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value <= limit else None


class AsciiIntConverter(IntegerConverter):
    """Flask's ``<int:...>``, but ASCII digits only and at most ``MAX_INT`` (else 404)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if self.max is None:
            self.max = MAX_INT
