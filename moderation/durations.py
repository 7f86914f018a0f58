"""Durations as people write them: ``"10 minutes"``, ``"24h"``, ``"30 jours"``."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {
    "s": 1, "sec": 1, "second": 1, "seconde": 1,
    "m": 60, "min": 60, "minute": 60,
    "h": 3600, "hour": 3600, "heure": 3600,
    "d": 86400, "day": 86400, "j": 86400, "jour": 86400,
    "w": 604800, "week": 604800, "semaine": 604800,
}  # fmt: skip
_DURATION = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)\s*")
MAX_DURATION = timedelta(days=36500)


def parse_duration(text: str) -> timedelta:
    """Parse ``"10 minutes"``, ``"24h"``, ``"30 days"``; raise ``ValueError``."""
    m = _DURATION.fullmatch(str(text).lower())
    unit = unit_seconds(m.group(2)) if m else None
    if m is None or unit is None:
        raise ValueError(
            f'malformed duration {text!r}: expected e.g. "10 minutes", "24h", "30 days"'
        )
    seconds = float(m.group(1)) * unit
    # Windows reach back from now: a longer one could not even be subtracted from it.
    if seconds > MAX_DURATION.total_seconds():
        raise ValueError(f"duration {text!r} is longer than {MAX_DURATION.days} days")
    return timedelta(seconds=seconds)


def unit_seconds(unit: str) -> int | None:
    if unit in _UNITS:
        return _UNITS[unit]
    if unit.endswith("s") and unit[:-1] in _UNITS:
        return _UNITS[unit[:-1]]
    return None


#: (singular, plural) per unit and language, for ``hours_in_words``.
_WORDS = {
    "fr": {"hour": ("heure", "heures"), "day": ("jour", "jours"), "week": ("semaine", "semaines")},
    "en": {"hour": ("hour", "hours"), "day": ("day", "days"), "week": ("week", "weeks")},
}


def hours_in_words(hours: int, language: str = "fr") -> str:
    """``24`` → "24 heures", ``168`` → "7 jours", ``336`` → "2 semaines"; never "720 heures".

    Hours up to two days (a day is said "24 heures"), then days; whole weeks from two weeks.
    """
    words = _WORDS.get(language, _WORDS["fr"])
    count, unit = hours, "hour"
    if hours >= 48 and hours % 24 == 0:
        count, unit = hours // 24, "day"
        if count >= 14 and count % 7 == 0:
            count, unit = count // 7, "week"
    singular, plural = words[unit]
    return f"{count} {singular if count == 1 else plural}"
