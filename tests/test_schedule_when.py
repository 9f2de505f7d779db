"""Reading times without a model, and recurring rules across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.schedule.when import (
    WhenError,
    describe_recurrence,
    next_occurrence,
    parse,
    parse_recurrence,
    zone,
)

BERLIN = zone("Europe/Berlin")
NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)  # Monday 11:00 in Berlin


@pytest.mark.parametrize(
    ("text", "local", "rule", "what"),
    [
        ("in 20 minutes take the pasta off", "2026-05-04 11:20", None, "take the pasta off"),
        ("in an hour tea", "2026-05-04 12:00", None, "tea"),
        ("tomorrow 6pm to call mom", "2026-05-05 18:00", None, "call mom"),
        ("tomorrow at 18:00 call mom", "2026-05-05 18:00", None, "call mom"),
        ("at 10am stand-up", "2026-05-05 10:00", None, "stand-up"),  # 10:00 has passed today
        ("tonight call dad", "2026-05-04 20:00", None, "call dad"),
        ("on friday at 9 dentist", "2026-05-08 09:00", None, "dentist"),
        ("2026-06-01 10:00 renew passport", "2026-06-01 10:00", None, "renew passport"),
        ("May 12 at 3pm visit gran", "2026-05-12 15:00", None, "visit gran"),
        (
            "every Sunday at 9 to water the plants",
            "2026-05-10 09:00",
            "RRULE:FREQ=WEEKLY;BYDAY=SU",
            "water the plants",
        ),
        ("every day at 8 stretch", "2026-05-05 08:00", "RRULE:FREQ=DAILY", "stretch"),
        (
            "every monday and thursday at 18:00 gym",
            "2026-05-04 18:00",
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TH",
            "gym",
        ),
    ],
)
def test_parse_forms(text: str, local: str, rule: str | None, what: str) -> None:
    when, rest = parse(text, BERLIN, NOW)
    assert when.at.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M") == local
    assert when.recurrence == rule
    assert rest == what


@pytest.mark.parametrize("text", ["", "call mom", "at 25:00 x", "whenever you like"])
def test_unreadable_times_are_refused_kindly(text: str) -> None:
    with pytest.raises(WhenError) as info:
        parse(text, BERLIN, NOW)
    assert str(info.value)


def test_a_daily_nine_oclock_stays_nine_local_across_dst() -> None:
    # Europe/Berlin springs forward on 2026-03-29: 09:00 is 08:00 UTC before, 07:00 after.
    start = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)
    when, _ = parse("every day at 9 vitamins", BERLIN, start)
    seen = [when.at]
    for _ in range(3):
        nxt = next_occurrence(when.recurrence or "", when.local_start, BERLIN, seen[-1])
        assert nxt is not None
        seen.append(nxt)
    assert [t.astimezone(BERLIN).hour for t in seen] == [9, 9, 9, 9]
    assert [t.hour for t in seen] == [8, 7, 7, 7]  # 28 Mar CET, then CEST


def test_cron_and_rrule_from_the_model() -> None:
    assert parse_recurrence("FREQ=WEEKLY;BYDAY=SU") == "RRULE:FREQ=WEEKLY;BYDAY=SU"
    assert parse_recurrence("RRULE:FREQ=DAILY") == "RRULE:FREQ=DAILY"
    assert parse_recurrence("0 9 * * sun") == "CRON:0 9 * * sun"
    with pytest.raises(ValueError):
        parse_recurrence("sometimes")
    # Cron in New York across the US change (2026-03-08): 9:00 local both sides.
    ny = zone("America/New_York")
    first = next_occurrence("CRON:0 9 * * *", None, ny, datetime(2026, 3, 7, 0, 0, tzinfo=UTC))
    assert first is not None
    second = next_occurrence("CRON:0 9 * * *", None, ny, first)
    assert second is not None
    assert (first.hour, second.hour) == (14, 13)
    assert second.astimezone(ny).hour == 9


@pytest.mark.parametrize(
    ("rule", "said"),
    [
        ("RRULE:FREQ=WEEKLY;BYDAY=SU", "every Sunday"),
        ("RRULE:FREQ=WEEKLY;BYDAY=MO,TH", "every Monday and Thursday"),
        ("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "every weekday"),
        ("RRULE:FREQ=DAILY", "every day"),
        ("RRULE:FREQ=DAILY;INTERVAL=2", "every 2 days"),
        ("CRON:30 7 * * *", "every day at 07:30"),
        ("RRULE:FREQ=MONTHLY;BYMONTHDAY=1", "repeats: FREQ=MONTHLY;BYMONTHDAY=1"),
    ],
)
def test_rules_are_described_as_people_say_them(rule: str, said: str) -> None:
    assert describe_recurrence(rule) == said
