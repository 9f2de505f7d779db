"""/settings and the update_settings tool through the real engine: timezone, check-in
times and frequency, quiet hours (validated), pause for a week and resume, voice
replies; every check-in-relevant change reschedules."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.runtime import Runtime
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.goal_helpers import RecordingCheckins, no_model_runtime, person_of, say


async def test_settings_command_shows_and_changes_everything(
    tmp_path: Path, clock: ManualClock
) -> None:
    async with no_model_runtime(tmp_path, clock) as rt:
        checkins = RecordingCheckins()
        rt.services.checkins = checkins
        shown = await say(rt, "/settings")
        assert "timezone: UTC (it's 09:00 there now)" in shown
        assert "quiet hours: 22:00-08:00" in shown  # the deployment's default
        assert "voice replies: off" in shown
        pid = (await person_of(rt)).id

        assert "Asia/Tokyo" in await say(rt, "/settings timezone tokyo")
        assert "Check-ins at 08:30, 21:00" in await say(rt, "/settings checkins 8:30 and 9pm")
        assert "At most 1 check-in a day." in await say(rt, "/settings frequency 1")
        assert "Quiet hours 23:00-07:00" in await say(rt, "/settings quiet 11pm-7am")
        # No speech server: the same answer as /voice on, and nothing changes.
        assert "COMPANION_TTS_URL" in await say(rt, "/settings voice on")
        rt.settings.tts_url = "http://127.0.0.1:9/v1"
        assert "Voice replies on" in await say(rt, "/settings voice on")
        assert checkins.calls == [pid, pid, pid, pid]  # voice replies don't reschedule

        person = await person_of(rt)
        assert person.timezone == "Asia/Tokyo"
        assert person.settings == {
            "checkin_times": ["08:30", "21:00"],
            "checkins_per_day": 1,
            "checkins_enabled": True,
            "quiet_hours": "23:00-07:00",
            "voice_replies": True,
        }
        shown = await say(rt, "/settings")
        assert "Asia/Tokyo (it's 18:00 there now)" in shown
        assert "check-ins: on, at 08:30, 21:00" in shown
        assert "quiet hours: 23:00-07:00" in shown

        assert "Check-ins off" in await say(rt, "/settings checkins off")
        assert "default, 22:00-08:00" in await say(rt, "/settings quiet default")
        assert "quiet_hours" not in (await person_of(rt)).settings


async def test_pause_for_a_week_and_resume(tmp_path: Path, clock: ManualClock) -> None:
    async with no_model_runtime(tmp_path, clock) as rt:
        checkins = RecordingCheckins()
        rt.services.checkins = checkins
        await say(rt, "/settings timezone Europe/Berlin")
        reply = await say(rt, "/settings pause a week")
        assert "paused until Monday 11 May, 11:00" in reply
        person = await person_of(rt)
        until = datetime.fromisoformat(person.settings["checkins_paused_until"])
        assert until == datetime.fromisoformat("2026-05-11T09:00:00+00:00")
        assert "paused until Monday 11 May" in await say(rt, "/settings")
        assert "paused until Friday 08 May, 00:00" in await say(rt, "/settings pause until friday")
        clock.advance(days=10)
        assert "paused until" not in await say(rt, "/settings")  # a past pause is over
        clock.advance(days=-10)
        assert "back on" in await say(rt, "/settings resume")
        assert "checkins_paused_until" not in (await person_of(rt)).settings
        assert len(checkins.calls) == 4


async def test_bad_settings_get_kind_answers_and_change_nothing(
    tmp_path: Path, clock: ManualClock
) -> None:
    async with no_model_runtime(tmp_path, clock) as rt:
        checkins = RecordingCheckins()
        rt.services.checkins = checkins
        cases = {
            "/settings quiet 22:00": "Quiet hours are a range",
            "/settings quiet 22:00-22:00": "start and end at different times",
            "/settings quiet 25:00-07:00": "range of two times",
            "/settings quiet soon-later": "range of two times",
            "/settings timezone Narnia": "couldn't place 'Narnia'",
            "/settings checkins 27:00": "isn't a time of day",
            "/settings frequency lots": "a number",
            "/settings frequency 50": "0 to 12",
            "/settings pause forever-ish": "How long?",
            "/settings pause until 2020-01-01": "already passed",
            "/settings pause": "What should pause be?",
            "/settings voice loud": "on or off",
            "/settings colour blue": "I don't have a setting called 'colour'",
        }
        for command, expected in cases.items():
            assert expected in await say(rt, command), command
        person = await person_of(rt)
        assert person.settings == {} and person.timezone == "UTC"
        assert checkins.calls == []


async def test_settings_from_plain_words_through_the_model(
    runtime: Runtime, fake_llm: FakeOpenAI
) -> None:
    checkins = RecordingCheckins()
    runtime.services.checkins = checkins
    fake_llm.push(
        Reply(tool_calls=[("update_settings", {"pause": "a week"})]),
        Reply(text="Paused for a week. Enjoy the trip!"),
    )
    assert "Enjoy" in await say(runtime, "I'm travelling, pause check-ins for a week")
    person = await person_of(runtime)
    assert person.settings["checkins_paused_until"] == "2026-05-11T09:00:00+00:00"
    assert checkins.calls == [person.id]

    fake_llm.push(
        Reply(
            tool_calls=[
                (
                    "update_settings",
                    {
                        "timezone": "Europe/Madrid",
                        "checkin_times": ["8am"],
                        "quiet_hours": "23:00-09:00",
                        "resume": True,
                    },
                )
            ]
        ),
        Reply(tool_calls=[("update_settings", {"quiet_hours": "all the time"})]),
        Reply(tool_calls=[("update_settings", {"voice_replies": True})]),
        Reply(text="Done."),
    )
    await say(runtime, "back home in Madrid; mornings at 8, nothing before 9, talk to me")
    person = await person_of(runtime)
    assert person.timezone == "Europe/Madrid"
    assert person.settings["checkin_times"] == ["08:00"]
    assert person.settings["quiet_hours"] == "23:00-09:00"
    assert "voice_replies" not in person.settings  # no speech server here
    assert "checkins_paused_until" not in person.settings
    results = [m for m in fake_llm.chat_requests()[-1]["messages"] if m["role"] == "tool"]
    assert "Timezone: Europe/Madrid" in results[0]["content"]
    assert results[1]["content"].startswith("error: Quiet hours")
    assert "COMPANION_TTS_URL" in results[2]["content"]
    assert len(checkins.calls) == 2  # the refused change did not reschedule


async def test_a_failing_scheduler_does_not_lose_the_setting(
    tmp_path: Path, clock: ManualClock
) -> None:
    class Broken:
        async def reschedule(self, person_id: int) -> None:
            raise RuntimeError("scheduler down")

    async with no_model_runtime(tmp_path, clock) as rt:
        rt.services.checkins = Broken()
        assert "Check-ins at 07:00" in await say(rt, "/settings checkins 7:00")
        assert (await person_of(rt)).settings["checkin_times"] == ["07:00"]


async def test_checkins_on_after_frequency_zero_turns_them_on(
    tmp_path: Path, clock: ManualClock
) -> None:
    """/checkins on does what it says, also after /settings frequency 0 (which turned
    them off by frequency, not by the on/off switch)."""
    from bot.types import Identity
    from tests.web_helpers import console  # typed at the console, as a person would

    async with no_model_runtime(tmp_path, clock) as rt:
        await console(rt, "/settings frequency 0")
        assert "Check-ins are off" in await console(rt, "/checkins")
        shown = await console(rt, "/checkins on")
        assert "Check-ins are on" in shown, shown
        person = await rt.people.find(Identity("console", "local"))
        assert person is not None
        assert "checkins_per_day" not in person.settings  # back to the usual rhythm
