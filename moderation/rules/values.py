"""Value types of rule files: comparisons ("< 3", "> 30 days"), named thresholds.

Durations are ``moderation/durations.py``; other layers parse them too.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import moderation.durations as durations

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "=": operator.eq,
    "!=": operator.ne,
}
_COMPARISON = re.compile(r"\s*(<=|>=|==|!=|<|>|=)\s*(-?\d+(?:\.\d+)?)\s*([a-z]*)\s*")
_OP_HELP = 'expected an operator (<, <=, >, >=, ==, !=) and a number, e.g. "< 3" or ">= 0.85"'


@dataclass(frozen=True)
class Comparison:
    """A parsed comparison string such as ``"< 3"`` or ``"> 30 days"``."""

    op: str
    value: float
    text: str

    def __call__(self, x: float | None) -> bool:
        """Compare ``x`` (None, an unknown value, never matches)."""
        return x is not None and _OPS[self.op](x, self.value)


@dataclass(frozen=True)
class NamedThreshold:
    """A score threshold named by the active model (``likely``, ``very_likely``)."""

    name: str


def parse_comparison(value: Any, unit_seconds: float | None = None) -> Comparison:
    """Parse a comparison; with ``unit_seconds`` a duration unit converts to that unit."""
    if isinstance(value, bool):
        raise ValueError(f"malformed comparison {value!r}: {_OP_HELP}")
    if isinstance(value, int | float):
        return Comparison("==", float(value), str(value))
    m = _COMPARISON.fullmatch(str(value).lower())
    if m is None:
        raise ValueError(f"malformed comparison {value!r}: {_OP_HELP}")
    op, number, unit = m.group(1), float(m.group(2)), m.group(3)
    if unit:
        seconds = durations.unit_seconds(unit)
        if unit_seconds is None or seconds is None:
            raise ValueError(f"malformed comparison {value!r}: unexpected unit {unit!r}")
        number = number * seconds / unit_seconds
    return Comparison(op, number, str(value))
