"""Dates and times as people read them: in a site's time zone, French style by default."""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

#: A site's zone until it names another (``moderation sites set-timezone``).
DEFAULT_TIME_ZONE = "Europe/Paris"

_MONTHS = {
    "fr": "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.".split(),
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
}


class UnknownTimeZone(ValueError):
    """A name the IANA time zone database does not hold."""


def check_zone(name: str) -> str:
    """``name`` if it is an IANA zone (``Europe/Paris``), else ``UnknownTimeZone``."""
    # Area/Location names only (and UTC): the system's database may also list "localtime",
    # "posix/…" or "right/…", which name this machine's setting or a variant, not a place.
    place = name == "UTC" or ("/" in name and not name.startswith(("posix/", "right/")))
    if not place or name not in _zones():
        raise UnknownTimeZone(f"Unknown time zone {name!r}: use an IANA name like Europe/Paris.")
    return name


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


@functools.cache
def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):  # a zone removed since it was stored
        return ZoneInfo(DEFAULT_TIME_ZONE)


def local(moment: dt.datetime, zone: str | None = None) -> dt.datetime:
    """``moment`` (aware, or naive UTC as the database gives it) in ``zone``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(_zone(zone))


def format_when(moment: dt.datetime | None, zone: str | None = None, language: str = "fr") -> str:
    """« 7 déc. 2026 à 18:05 » (or "7 Dec 2026, 18:05") in ``zone``; "" for no moment."""
    if moment is None:
        return ""
    at = local(moment, zone)
    month = _MONTHS.get(language, _MONTHS["fr"])[at.month - 1]
    if language == "en":
        return f"{at.day} {month} {at.year}, {at:%H:%M}"
    return f"{at.day} {month} {at.year} à {at:%H:%M}"


def iso_local(moment: dt.datetime | None, zone: str | None = None) -> str:
    """The moment in ``zone`` as ISO 8601 with its offset (for a ``<time datetime>``)."""
    return "" if moment is None else local(moment, zone).isoformat(timespec="minutes")
