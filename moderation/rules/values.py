"""Value types of rule files: comparisons ("< 3", "> 30 days"), durations, named thresholds."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "=": operator.eq,
    "!=": operator.ne,
}
_UNITS = {
    "s": 1, "sec": 1, "second": 1, "seconde": 1,
    "m": 60, "min": 60, "minute": 60,
    "h": 3600, "hour": 3600, "heure": 3600,
    "d": 86400, "day": 86400, "j": 86400, "jour": 86400,
    "w": 604800, "week": 604800, "semaine": 604800,
}  # fmt: skip
_COMPARISON = re.compile(r"\s*(<=|>=|==|!=|<|>|=)\s*(-?\d+(?:\.\d+)?)\s*([a-z]*)\s*")
_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*")
MAX_DURATION = timedelta(days=36500)
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


def parse_duration(text: str) -> timedelta:
    """Parse ``"10 minutes"``, ``"24h"``, ``"30 days"``; raise ``ValueError``."""
    m = _DURATION.fullmatch(str(text).lower())
    unit = _unit_seconds(m.group(2)) if m else None
    if m is None or unit is None:
        raise ValueError(
            f'malformed duration {text!r}: expected e.g. "10 minutes", "24h", "30 days"'
        )
    seconds = float(m.group(1)) * unit
    # Windows reach back from now: a longer one could not even be subtracted from it.
    if seconds > MAX_DURATION.total_seconds():
        raise ValueError(f"duration {text!r} is longer than {MAX_DURATION.days} days")
    return timedelta(seconds=seconds)


def _unit_seconds(unit: str) -> int | None:
    if unit in _UNITS:
        return _UNITS[unit]
    if unit.endswith("s") and unit[:-1] in _UNITS:
        return _UNITS[unit[:-1]]
    return None


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
        seconds = _unit_seconds(unit)
        if unit_seconds is None or seconds is None:
            raise ValueError(f"malformed comparison {value!r}: unexpected unit {unit!r}")
        number = number * seconds / unit_seconds
    return Comparison(op, number, str(value))
