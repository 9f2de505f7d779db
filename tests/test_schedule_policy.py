"""Check-in policy as pure functions: preferences, quiet hours, backoff gaps."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from bot.schedule import policy
from tests.conftest import make_settings


def test_preferences_fall_back_to_the_deployment_defaults(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, checkins_per_day=1, quiet_hours="21:00-07:00")
    prefs = policy.prefs_for(settings, {}, "Nowhere/Invalid")
    assert prefs.tz.key == "UTC" and prefs.times == [time(18)] and prefs.enabled
    assert prefs.quiet == (time(21), time(7))
    odd = policy.prefs_for(settings, {"quiet_hours": "whenever", "checkins_per_day": "x"}, "UTC")
    assert odd.quiet == (time(21), time(7)) and odd.per_day == 1
    off = policy.prefs_for(settings, {"quiet_hours": "off", "checkins_enabled": False}, "UTC")
    assert off.quiet is None and not off.enabled
    assert policy.next_checkin(off, datetime(2026, 5, 4, tzinfo=UTC)) is None


def test_quiet_hours_across_midnight_and_backoff_gaps(tmp_path: Path) -> None:
    prefs = policy.prefs_for(make_settings(tmp_path), {}, "UTC")
    assert policy.in_quiet_hours(prefs, datetime(2026, 5, 4, 23, 30, tzinfo=UTC))
    assert policy.in_quiet_hours(prefs, datetime(2026, 5, 4, 7, 59, tzinfo=UTC))
    assert not policy.in_quiet_hours(prefs, datetime(2026, 5, 4, 8, 0, tzinfo=UTC))
    # One unanswered check-in: never a second the same day (the same time next day fits).
    assert [policy.backoff_gap(n) for n in (0, 1)] == [None, timedelta(hours=20)]
    assert [policy.backoff_gap(n) for n in (2, 3, 4, 9)] == [
        timedelta(days=2),
        timedelta(days=4),
        timedelta(days=7),
        timedelta(days=7),
    ]
