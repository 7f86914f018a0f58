"""Dates as people read them: in the site's zone, French style, summer and winter time."""

from __future__ import annotations

import datetime as dt

import pytest

from moderation.localtime import UnknownTimeZone, check_zone, format_when, iso_local


def test_winter_and_summer_time_in_paris():
    assert format_when(dt.datetime(2026, 12, 7, 17, 5, tzinfo=dt.UTC)) == "7 déc. 2026 à 18:05"
    assert format_when(dt.datetime(2026, 7, 14, 20, 0, tzinfo=dt.UTC)) == "14 juil. 2026 à 22:00"


def test_naive_moments_are_utc_and_another_zone_or_language_is_honoured():
    naive = dt.datetime(2026, 12, 31, 23, 30)  # as the database gives it
    assert format_when(naive) == "1 janv. 2027 à 00:30"
    assert format_when(naive, "America/Martinique") == "31 déc. 2026 à 19:30"
    assert format_when(naive, "Europe/Paris", "en") == "1 Jan 2027, 00:30"
    assert iso_local(naive) == "2027-01-01T00:30+01:00"
    assert format_when(None) == ""


def test_a_stored_zone_that_no_longer_exists_falls_back_to_paris():
    assert format_when(dt.datetime(2026, 12, 7, 17, 5), "Mars/Olympus") == "7 déc. 2026 à 18:05"


@pytest.mark.parametrize("name", ["Europe/Pari", "localtime", "posix/Europe/Paris", "", "../x"])
def test_check_zone_refuses_what_is_not_a_place(name):
    with pytest.raises(UnknownTimeZone):
        check_zone(name)


def test_check_zone_accepts_places_and_utc():
    assert check_zone("Europe/Paris") == "Europe/Paris"
    assert check_zone("UTC") == "UTC"
