"""The weekly review (bot/schedule/review.py): on the person's chosen evening in their
own timezone, once, through the check-in policy (quiet hours, pause, back-off, a
crisis), a picture of the week with words that name its numbers; through the
Telegram fake Bot API as a photo with its caption, and through the console.

Real SQLite, a manual clock; the person lives in New York, so their Sunday 19:00 is
23:00 UTC (and Auckland's Monday morning is Sunday evening in UTC: the weekday is
always the person's own)."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from adapters.console import ConsoleChannel
from bot.goals.service import GoalsService
from bot.runtime import Runtime, build_runtime
from bot.schedule.review import next_review, review_words, went_well
from bot.schedule.service import ScheduleService
from bot.types import Identity, OutgoingMessage
from tests.conftest import make_settings
from tests.fakes.channel import CaptureChannel
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.fakes.telegram_server import FakeTelegram
from tests.schedule_helpers import run_for, say, service
from tests.test_goal_chart import png_size, take_file
from tests.test_telegram import running, tg_settings
from tests.web_helpers import console

NY = ZoneInfo("America/New_York")
START = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)  # Monday 08:00 in New York
SUNDAY_7PM = datetime(2026, 5, 10, 23, 0, tzinfo=UTC)  # Sunday 10 May, 19:00 in New York


def ny(at: datetime) -> str:
    return at.astimezone(NY).strftime("%a %d %b %H:%M")


@pytest.fixture
async def rt(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Runtime]:
    clock.set(START)
    runtime = await build_runtime(make_settings(tmp_path), clock=clock, model=None)
    yield runtime
    await runtime.close()


@pytest.fixture
def channel(rt: Runtime, clock: ManualClock) -> CaptureChannel:
    ch = CaptureChannel(clock=clock)
    rt.outbox.register(ch)
    return ch


async def person(rt: Runtime, tz: str = "America/New_York", **prefs: object) -> int:
    """Someone in New York; daily check-ins off (frequency 0) so only the review
    speaks, unless a test asks otherwise."""
    await say(rt, "hello")
    found = await rt.people.find(Identity("telegram", "42"))
    assert found is not None
    await rt.people.update(found.id, timezone=tz)
    await rt.people.update_settings(found.id, **{"checkins_per_day": 0, **prefs})
    await service(rt).reschedule(found.id)
    return found.id


async def with_goals(rt: Runtime, pid: int, clock: ManualClock) -> GoalsService:
    goals: GoalsService = rt.services.goals
    run = await goals.add(pid, "Run 3 times a week")
    read = await goals.add(pid, "Read")
    await goals.log(pid, run, at=clock.now() + timedelta(days=1))
    await goals.log(pid, run, at=clock.now() + timedelta(days=3))
    await goals.log(pid, read, amount=20, at=clock.now() + timedelta(days=2))
    await goals.log(pid, read, amount=15, at=clock.now() + timedelta(days=4))
    return goals


def reviews(channel: CaptureChannel) -> list[tuple[str, OutgoingMessage]]:
    return [
        (ny(at), m)
        for at, (_, m) in zip(channel.times, channel.sent, strict=True)
        if (m.key or "").startswith("review:")
    ]


async def test_due_at_local_sunday_evening_sent_once_even_across_sweeps_and_a_restart(
    tmp_path: Path, rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    pid = await person(rt)
    await with_goals(rt, pid, clock)
    state = await service(rt).store.state(pid)
    assert state is not None and state.review_at == SUNDAY_7PM
    await run_for(rt, clock, hours=6 * 24 + 10.9)  # to Sunday 18:54 New York
    assert reviews(channel) == []
    await run_for(rt, clock, hours=0.2)
    [(when, message)] = reviews(channel)
    assert when == "Sun 10 May 19:00"
    assert message.key == f"review:{pid}:2026-05-04"
    numbers, _, rest = message.text.partition("\n\n")
    assert numbers == "Week of 4 May: Run 3 times a week 2 of 3; Read 35 logged."
    assert rest == (
        "What went well: “Run 3 times a week”, 2 of 3. "
        "What would make “Run 3 times a week” easier to fit in next week?"
    )
    assert message.image is not None and png_size(message.image)[0] == 640
    # The same instant swept again, by this scheduler and by a second one at once.
    second = ScheduleService(rt)
    await asyncio.gather(service(rt).run_due(clock.now()), second.run_due(clock.now()))
    assert len(reviews(channel)) == 1

    # A restarted process on the same database, later that evening: nothing twice.
    clock.advance(minutes=30)
    again = await build_runtime(make_settings(tmp_path), clock=clock, model=None)
    try:
        again.outbox.register(channel)
        await service(again).ensure_all()
        await run_for(again, clock, hours=3)
        assert len(reviews(channel)) == 1
        state = await service(again).store.state(pid)
        assert state is not None and ny(state.review_at) == "Sun 17 May 19:00"
        export = (await again.export_person(pid))["schedule"]
        [delivery] = [d for d in export["deliveries"] if d["kind"] == "review"]
        assert delivery["status"] == "sent" and delivery["text"] == message.text
        assert export["checkins"]["next_weekly_review"] == state.review_at.isoformat()
    finally:
        await again.close()


@pytest.mark.parametrize(
    ("back", "quiet", "sent_at"),
    [
        ("Sun 21:30", "22:00-08:00", "Sun 10 May 21:30"),  # late, the same evening: once
        ("Sun 23:00", "22:00-08:00", None),  # quiet hours until morning: skipped
        ("Mon 09:00", "off", None),  # the evening has passed: skipped, not sent Monday
    ],
)
async def test_a_review_missed_while_down_goes_late_only_the_same_evening(
    rt: Runtime,
    channel: CaptureChannel,
    clock: ManualClock,
    back: str,
    quiet: str,
    sent_at: str | None,
) -> None:
    pid = await person(rt, quiet_hours=quiet)
    await with_goals(rt, pid, clock)
    day, hhmm = back.split()
    local = datetime.combine(
        datetime(2026, 5, 10).date() + timedelta(days=1 if day == "Mon" else 0),
        time.fromisoformat(hhmm),
        NY,
    )
    clock.set(local.astimezone(UTC))  # the bot was down from Monday until now
    await service(rt).run_due(clock.now())
    await run_for(rt, clock, hours=1)
    assert [when for when, _ in reviews(channel)] == ([sent_at] if sent_at else [])
    state = await service(rt).store.state(pid)
    assert state is not None and ny(state.review_at) == "Sun 17 May 19:00"


async def test_quiet_hours_over_the_review_hold_it_until_they_end_that_evening(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    pid = await person(rt, quiet_hours="18:30-20:00")
    await with_goals(rt, pid, clock)
    await run_for(rt, clock, hours=7 * 24)
    assert [when for when, _ in reviews(channel)] == ["Sun 10 May 20:00"]
    # Quiet from 18:00 to the morning: held all evening, so skipped this week.
    await rt.people.update_settings(pid, quiet_hours="18:00-08:00")
    await run_for(rt, clock, hours=7 * 24)
    assert len(reviews(channel)) == 1
    state = await service(rt).store.state(pid)
    assert state is not None and ny(state.review_at) == "Sun 24 May 19:00"


async def test_a_pause_holds_it_and_opting_out_stops_it(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    pid = await person(rt)
    await with_goals(rt, pid, clock)
    said = await say(rt, "/settings pause a week")
    assert "paused until" in said
    await run_for(rt, clock, hours=7 * 24)
    assert reviews(channel) == []  # Sunday fell within the pause
    await say(rt, "/settings resume")
    assert "Weekly review off." in await say(rt, "/settings review off")
    state = await service(rt).store.state(pid)
    assert state is not None and state.review_at is None
    assert "- weekly review: off" in await say(rt, "/settings")
    await run_for(rt, clock, hours=14 * 24)
    assert reviews(channel) == []
    said = await say(rt, "/settings review on")
    assert said == "Weekly review: Sundays at 19:00 your time."
    state = await service(rt).store.state(pid)
    assert state is not None and ny(state.review_at) == "Sun 31 May 19:00"
    # Check-ins off ("never" at /start) turn the review off too.
    await say(rt, "/checkins off")
    state = await service(rt).store.state(pid)
    assert state is not None and state.review_at is None
    assert "- weekly review: off" in await say(rt, "/settings")


async def test_settings_review_changes_the_day_and_time(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    pid = await person(rt)
    await with_goals(rt, pid, clock)
    said = await say(rt, "/settings review friday 6pm")
    assert said == "Weekly review: Fridays at 18:00 your time."
    assert "- weekly review: Fridays at 18:00" in await say(rt, "/settings")
    assert "one day of the week" in await say(rt, "/settings review 25:00")
    assert "never come" in await say(rt, "/settings review friday 23:30")  # quiet 22-08
    await say(rt, "/settings review fri 18:00")
    assert "Weekly review: Fri 08 May 18:00 (/settings review changes it)." in await say(
        rt, "/checkins"
    )
    await run_for(rt, clock, hours=7 * 24)
    assert [when for when, _ in reviews(channel)] == ["Fri 08 May 18:00"]
    [(_, message)] = reviews(channel)  # Friday evening looks at the week so far
    assert message.text.startswith("Week of 4 May: Run 3 times a week 2 of 3; Read 35 logged.")
    assert message.key == f"review:{pid}:2026-05-04"


async def test_no_review_within_a_day_of_a_crisis(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    pid = await person(rt)
    await with_goals(rt, pid, clock)
    crisis = SUNDAY_7PM - timedelta(hours=5)
    await rt.people.update_settings(pid, crisis_at=crisis.isoformat())
    await run_for(rt, clock, hours=7 * 24)
    assert reviews(channel) == []
    await run_for(rt, clock, hours=7 * 24)  # the next week it comes back
    assert [when for when, _ in reviews(channel)] == ["Sun 17 May 19:00"]


async def test_no_goals_nothing_then_one_kind_note_for_an_empty_week_then_the_picture(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    pid = await person(rt)
    await run_for(rt, clock, hours=7 * 24)
    assert reviews(channel) == []  # no goals: nothing to review, nothing sent
    goals: GoalsService = rt.services.goals
    run = await goals.add(pid, "Run 3 times a week")
    await run_for(rt, clock, hours=7 * 24)
    assert reviews(channel) == []  # a goal set this week: no week to look back on yet
    await run_for(rt, clock, hours=7 * 24)
    [(_, note)] = reviews(channel)
    assert note.image is None
    assert note.text.startswith("No progress logged on your goals this week. That happens.")
    assert note.text.count("?") == 1
    await run_for(rt, clock, hours=7 * 24)
    assert len(reviews(channel)) == 1  # a second empty week: not said again
    await goals.log(pid, run)
    await run_for(rt, clock, hours=7 * 24)
    assert len(reviews(channel)) == 2
    picture = reviews(channel)[-1][1]
    assert picture.image is not None
    assert picture.text.startswith("Week of 1 Jun: Run 3 times a week 1 of 3.")


async def test_the_picture_changes_with_progress_and_its_words_name_the_numbers(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    pid = await person(rt)
    goals = await with_goals(rt, pid, clock)
    await run_for(rt, clock, hours=7 * 24)
    [(_, first)] = reviews(channel)
    run = (await goals.store.all(pid))[0]
    for day in (1, 2, 4):
        await goals.log(pid, run, at=clock.now() + timedelta(days=day))
    await run_for(rt, clock, hours=7 * 24)
    second = reviews(channel)[-1][1]
    assert first.image is not None and second.image is not None
    assert png_size(second.image) == png_size(first.image)
    assert 3_000 < len(second.image) < 200_000 and second.image != first.image
    assert second.text.startswith("Week of 11 May: Run 3 times a week 3 of 3; Read 0 logged.")
    assert "What went well: “Run 3 times a week”, 3 of 3." in second.text
    assert second.text.endswith("What would you like to keep up, or try, next week?")


def test_went_well_prefers_a_target_met_with_the_longest_streak() -> None:
    from datetime import date

    from bot.goals.chart import WeekItem

    items = [
        WeekItem("Meditate daily", "times", 7, 7.0),
        WeekItem("Swim weekly", "times", 1, 1.0),
        WeekItem("Read", "amount", 80, None),
    ]
    line = went_well(items, {"Swim weekly": (5, "week"), "Meditate daily": (3, "day")})
    assert line == "What went well: “Swim weekly”, 1 of 1, 5 weeks in a row (and 1 more met)."
    words = review_words(items, date(2026, 5, 4), {})
    assert words.numbers == (
        "Week of 4 May: Meditate daily 7 of 7; Swim weekly 1 of 1; Read 80 logged."
    )
    assert any(words.numbers in fact for fact in words.facts)


def test_the_review_keeps_its_wall_clock_time_across_daylight_saving() -> None:
    berlin, sunday = ZoneInfo("Europe/Berlin"), (6, time(19, 0))
    before = next_review(sunday, berlin, datetime(2026, 3, 23, tzinfo=UTC))
    after = next_review(sunday, berlin, before)
    assert before == datetime(2026, 3, 29, 17, 0, tzinfo=UTC)  # 29 March: summer time
    assert after == datetime(2026, 4, 5, 17, 0, tzinfo=UTC)
    earlier = next_review(sunday, berlin, datetime(2026, 3, 16, tzinfo=UTC))
    assert earlier == datetime(2026, 3, 22, 18, 0, tzinfo=UTC)  # still winter time
    # Auckland is a day ahead of UTC: its Monday 08:00 is Sunday 19:00 UTC (NZST).
    monday = next_review((0, time(8, 0)), ZoneInfo("Pacific/Auckland"), START)
    assert monday == datetime(2026, 5, 10, 20, 0, tzinfo=UTC)


async def test_with_a_model_the_words_are_its_own_when_they_fit(
    tmp_path: Path, clock: ManualClock, fake_llm: FakeOpenAI
) -> None:
    clock.set(START)
    settings = make_settings(
        tmp_path,
        model="openai:fake-model",
        model_base_url=fake_llm.base_url,
        model_api_key="sk-test-not-a-real-key-000000",
        memory_extraction=False,
    )
    rt = await build_runtime(settings, clock=clock)
    channel = CaptureChannel(clock=clock)
    rt.outbox.register(channel)
    try:
        fake_llm.say("Hello!")
        pid = await person(rt)
        await with_goals(rt, pid, clock)
        words = "Two runs and 35 pages this week. What would help with the third run?"
        args = {"send": True, "message": words, "reason": "review"}
        fake_llm.push(Reply(tool_calls=[("CheckinDecision", args)]))
        await run_for(rt, clock, hours=7 * 24)
        [(_, first)] = reviews(channel)
        assert first.text == f"Week of 4 May: Run 3 times a week 2 of 3; Read 35 logged.\n\n{words}"
        system = fake_llm.chat_requests()[-1]["messages"][0]["content"]
        assert "Run 3 times a week 2 of 3" in system and "weekly review" in system
        # Narration (or a refusal to decide) is never sent: the template is.
        run = (await rt.services.goals.store.all(pid))[0]
        await rt.services.goals.log(pid, run, at=clock.now() + timedelta(days=1))
        fake_llm.push(Reply(text="Here's the review: nothing new, I'll skip."))
        await run_for(rt, clock, hours=7 * 24)
        second = reviews(channel)[-1][1]
        assert "nothing new" not in second.text
        assert "What would make “Run 3 times a week” easier to fit in next week?" in second.text
    finally:
        await rt.close()


async def test_the_review_reaches_telegram_as_a_photo_with_its_caption(
    tmp_path: Path, fake_llm: FakeOpenAI, clock: ManualClock
) -> None:
    clock.set(START)
    tg = await FakeTelegram("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw").start()
    settings = tg_settings(tmp_path, fake_llm, tg, memory_extraction=False)
    runtime = await build_runtime(settings, clock=clock)
    try:
        async with running(runtime, tg):
            tg.push_text(42, "hi")
            await tg.wait_for(lambda: tg.sent("sendMessage", 42))
            found = await runtime.people.find(Identity("telegram", "42"))
            assert found is not None
            await runtime.people.update(found.id, timezone="America/New_York")
            await runtime.people.update_settings(found.id, checkins_per_day=0)
            await service(runtime).reschedule(found.id)
            await with_goals(runtime, found.id, clock)
            clock.set(SUNDAY_7PM)
            counts = await service(runtime).run_due(clock.now())
            assert counts["review_sent"] == 1
            await service(runtime).run_due(clock.now() + timedelta(minutes=1))
    finally:
        await runtime.close()
        await tg.stop()
    [photo] = tg.sent("sendPhoto", 42)
    width, height = png_size(photo.files["photo"])
    assert width == 640 and 100 <= height <= 600
    caption = str(photo.params["caption"])
    assert caption.startswith("Week of 4 May: Run 3 times a week 2 of 3; Read 35 logged.")
    assert "What went well" in caption and caption.endswith("next week?")
    assert len(tg.sent("sendMessage", 42)) == 1  # only the answer to "hi": no text twice


async def test_the_console_saves_the_review_picture_and_prints_its_path(
    rt: Runtime, clock: ManualClock, tmp_path: Path
) -> None:
    """The console channel as `companion chat` registers it: text printed, the PNG
    written under the files folder, its path printed (the same code as /goals chart)."""
    await console(rt, "/help")  # the person "local" says something first
    found = await rt.people.find(Identity("console", "local"))
    assert found is not None
    pid = found.id
    out = io.StringIO()
    rt.outbox.register(ConsoleChannel(io.StringIO(), out, files_dir=tmp_path / "files"))
    await rt.people.update(pid, timezone="America/New_York")
    await rt.people.update_settings(pid, checkins_per_day=0)
    await service(rt).reschedule(pid)
    await with_goals(rt, pid, clock)
    clock.set(SUNDAY_7PM)
    await service(rt).run_due(clock.now())
    printed = out.getvalue()
    assert "Week of 4 May: Run 3 times a week 2 of 3; Read 35 logged." in printed
    line = next(x for x in printed.splitlines() if x.startswith("(saved to "))
    path = Path(line.removeprefix("(saved to ").rsplit(", ", 1)[0])
    assert path.parent == (tmp_path / "files").resolve()
    assert png_size(take_file(path))[0] == 640


async def test_the_personal_page_shows_the_review_and_changes_it(
    tmp_path: Path, clock: ManualClock
) -> None:
    from tests.test_web_http import browser, sign_in
    from tests.web_helpers import link_in, serving

    clock.set(START)
    async with serving(tmp_path, clock) as site:
        rt = site.runtime
        said = await console(rt, "/web")
        found = await rt.people.find(Identity("console", "local"))
        assert found is not None
        await rt.people.update(found.id, timezone="America/New_York")
        await service(rt).reschedule(found.id)
        async with browser() as http:
            csrf = await sign_in(http, site, link_in(said))
            async with http.get(f"{site.url}/reminders") as r:
                page = await r.text()
            assert "<title>Reminders and check-ins · Companion</title>" in page
            body = page.split("<main", 1)[1]
            assert '<h2 id="review">Weekly review</h2>' in body
            assert "Next: Sun 10 May 2026, 19:00." in body
            assert '<option value="sunday" selected>Sunday</option>' in body
            form = f"{site.url}/checkins/review"
            same = {"Origin": site.url}
            choice = {"enabled": "on", "day": "friday", "time": "18:30"}
            async with http.post(form, data=choice, headers=same) as r:
                assert r.status == 403  # no CSRF token: refused, nothing changed
            async with http.post(form, data={**choice, "csrf": csrf}, headers=same) as r:
                page = await r.text()
            assert "Weekly review: Fridays at 18:30 your time." in page
            assert "Next: Fri 08 May 2026, 18:30." in page
            assert "weekly review: Fridays at 18:30" in await console(rt, "/settings")
            async with http.post(form, data={"csrf": csrf, "day": "friday"}, headers=same) as r:
                page = await r.text()
            assert "Weekly review off." in page and "The weekly review is off" in page
        state = await service(rt).store.state(found.id)
        assert state is not None and state.review_at is None


async def test_said_in_plain_words_the_model_moves_it_through_update_settings(
    runtime: Runtime, fake_llm: FakeOpenAI
) -> None:
    fake_llm.push(
        Reply(tool_calls=[("update_settings", {"weekly_review": "Saturday 9am"})]),
        Reply(tool_calls=[("update_settings", {"weekly_review": "whenever"})]),
        Reply(text="Saturday mornings it is."),
    )
    assert "Saturday mornings" in await say(runtime, "do my weekly review on saturday mornings")
    found = await runtime.people.find(Identity("telegram", "42"))
    assert found is not None and found.settings["weekly_review"] == "saturday 09:00"
    tool_answers = [
        m["content"] for m in fake_llm.chat_requests()[-1]["messages"] if m.get("role") == "tool"
    ]
    assert tool_answers[0] == "Weekly review: Saturdays at 09:00 your time."
    assert tool_answers[1].startswith("error: The weekly review needs one day of the week")
    state = await service(runtime).store.state(found.id)
    assert state is not None and state.review_at is not None
    assert state.review_at.astimezone(ZoneInfo(found.timezone)).strftime("%a %H:%M") == "Sat 09:00"


async def test_a_conversation_holds_it_and_two_unanswered_check_ins_back_it_off(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    pid = await person(rt)
    await with_goals(rt, pid, clock)
    clock.set(SUNDAY_7PM - timedelta(minutes=5))
    await say(rt, "just back from a run")  # in the middle of a conversation at 18:55
    await run_for(rt, clock, hours=2)
    assert [when for when, _ in reviews(channel)] == ["Sun 10 May 19:15"]
    # Two check-ins went unanswered, the last on Sunday morning: backed off (two days),
    # so that week's review is skipped...
    await service(rt).store.put_state(
        pid, unanswered=2, last_sent_at=SUNDAY_7PM + timedelta(days=7, hours=-9)
    )
    await run_for(rt, clock, hours=7 * 24)
    assert len(reviews(channel)) == 1
    # ...until a word from them ends the back-off: still that evening (20:55), so the
    # review comes once they have been quiet a while; then the usual rhythm.
    assert ny(clock.now()) == "Sun 17 May 20:55"
    await say(rt, "hi again")
    goals: GoalsService = rt.services.goals
    run = (await goals.store.all(pid))[0]
    await goals.log(pid, run, at=clock.now() + timedelta(days=1))
    await run_for(rt, clock, hours=7 * 24)
    assert [when for when, _ in reviews(channel)][1:] == ["Sun 17 May 21:15", "Sun 24 May 19:00"]


async def test_discord_gets_the_picture_as_a_file_with_the_words(
    rt: Runtime, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import discord
    import yarl

    from adapters.discord.adapter import DiscordChannel
    from tests.fakes.discord_server import FakeDiscord

    server = await FakeDiscord().start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.api)
    gateway = yarl.URL(f"{server.url.replace('http', 'ws')}/gateway")
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", gateway)
    found = await rt.people.resolve(Identity("discord", "412345678901234567"), now=clock.now())
    await rt.people.update(found.id, timezone="America/New_York")
    await rt.people.update_settings(found.id, checkins_per_day=0)
    await service(rt).reschedule(found.id)
    await with_goals(rt, found.id, clock)
    channel = DiscordChannel("fake.discord.token", runtime=rt, api_url=server.api)
    rt.outbox.register(channel)
    try:
        async with channel.client:
            await channel.client.login("fake.discord.token")
            clock.set(SUNDAY_7PM)
            assert (await service(rt).run_due(clock.now()))["review_sent"] == 1
    finally:
        await server.stop()
    [sent] = server.sent()
    assert set(sent.files) == {"picture.png"}
    assert png_size(sent.files["picture.png"])[0] == 640
    content = str((sent.json or {})["content"])
    assert content.startswith("Week of 4 May: Run 3 times a week 2 of 3; Read 35 logged.")


async def test_a_picture_that_fails_to_draw_is_tried_again_the_same_evening(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.schedule.review as review

    pid = await person(rt)
    await with_goals(rt, pid, clock)
    real, calls = review.render_week, []

    def flaky(*args: object) -> bytes:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the drawing failed")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(review, "render_week", flaky)
    clock.set(SUNDAY_7PM)
    assert (await service(rt).run_due(clock.now()))["review_error"] == 1
    assert reviews(channel) == []
    clock.advance(seconds=20)  # the next sweep
    assert (await service(rt).run_due(clock.now()))["review_sent"] == 1
    assert [when for when, _ in reviews(channel)] == ["Sun 10 May 19:00"]
    [delivery] = [
        d for d in (await rt.export_person(pid))["schedule"]["deliveries"] if d["kind"] == "review"
    ]
    assert delivery["status"] == "sent"


async def test_people_from_before_the_review_get_theirs_when_the_scheduler_starts(
    rt: Runtime, clock: ManualClock
) -> None:
    pid = await person(rt)
    off = await person_with(rt, "43", weekly_review="off")
    store = service(rt).store
    for who in (pid, off):  # as the migration leaves them: state, but no review time
        await store.put_state(who, review_at=None)
    await service(rt).ensure_all()
    state = await store.state(pid)
    assert state is not None and state.review_at == SUNDAY_7PM
    state = await store.state(off)
    assert state is not None and state.review_at is None


async def person_with(rt: Runtime, user: str, **prefs: object) -> int:
    await say(rt, "hello", user)
    found = await rt.people.find(Identity("telegram", user))
    assert found is not None
    await rt.people.update(found.id, timezone="America/New_York")
    await rt.people.update_settings(found.id, **prefs)
    return found.id


@pytest.mark.parametrize("review", ["sunday 19:00", "off"])
async def test_a_goal_nudge_just_before_the_review_is_left_to_it(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock, review: str
) -> None:
    pid = await person(rt, checkins_per_day=1, checkin_times=["17:00"], weekly_review=review)
    goals: GoalsService = rt.services.goals
    run = await goals.add(pid, "Run 3 times a week")
    await run_for(rt, clock, hours=7 * 24)  # its first week is not judged
    await say(rt, "new week, new runs")
    for day in (1, 2):
        await goals.log(pid, run, at=clock.now() + timedelta(days=day))
    await run_for(rt, clock, hours=7 * 24)
    sent = [(ny(at), m.key or "") for at, (_, m) in zip(channel.times, channel.sent, strict=True)]
    sunday = [(when, key.split(":")[0]) for when, key in sent if when.startswith("Sun 17 May")]
    if review == "off":  # without a review, the week closing short is worth a word
        assert sunday == [("Sun 17 May 17:00", "checkin")]
    else:
        assert sunday == [("Sun 17 May 19:00", "review")]
