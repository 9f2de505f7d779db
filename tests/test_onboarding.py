"""/start onboarding through the real engine: without a model (deterministic), with
skip and resume, timezone inference and confirmation, and the model's help for a town
the built-in table does not know."""

from __future__ import annotations

from pathlib import Path

from bot.runtime import Runtime
from bot.types import Identity
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.goal_helpers import (
    RecordingCheckins,
    dm,
    no_model_runtime,
    person_of,
    say,
    say_all,
)


async def test_full_onboarding_without_a_model(tmp_path: Path, clock: ManualClock) -> None:
    async with no_model_runtime(tmp_path, clock) as rt:
        checkins = RecordingCheckins()
        rt.services["checkins"] = checkins
        first = await say_all(rt, "/start")
        assert len(first) == 2
        assert "No chat model is set up yet" in first[0].text
        assert "what should I call you?" in first[1].text and "ok to keep user42" in first[1].text

        assert "What name should I use" in await say(rt, "hi!")
        assert "just the name" in await say(rt, "well it has been a long day honestly")
        assert "Nice to meet you, Sam!" in await say(rt, "I'm Sam")
        confirm = await say_all(rt, "I live in Lisbon these days")
        # 9:00 UTC on 4 May is 10:00 in Lisbon (summer time).
        assert "Europe/Lisbon (it's 10:00 there now). Is that right?" in confirm[0].text
        assert [b.data for b in confirm[0].buttons[0]] == ["onb:yes", "onb:no"]
        person = await person_of(rt)
        assert person.timezone == "UTC"  # not before the person confirms
        assert "What would you like to work on?" in await say(rt, "yes")
        assert (await person_of(rt)).timezone == "Europe/Lisbon"
        assert checkins.calls == [person.id]  # the timezone changed: rescheduled

        reply = await say(rt, "run 3 times a week; read every evening")
        assert "Noted: Run 3 times a week; Read every evening. Another one?" in reply
        assert "when would you like to hear from me?" in await say(rt, "done")
        assert "I couldn't find a time" in await say(rt, "whenever really")
        done = await say(rt, "9am and 8pm please")
        assert "All set, Sam!" in done and "09:00, 20:00" in done

        person = await person_of(rt)
        assert person.display_name == "Sam"
        assert person.settings["checkin_times"] == ["09:00", "20:00"]
        assert person.settings["checkins_per_day"] == 2
        assert person.settings["onboarding"]["status"] == "done"
        assert checkins.calls == [person.id, person.id]
        goals = await rt.services["goals"].active_summary(person.id)
        assert goals == [
            "Run 3 times a week (3x a week; 0/3 this week; no streak yet)",
            "Read every evening (daily; no streak yet)",
        ]
        # The exchange is kept in the conversation log.
        contents = [t.content for t in await rt.turns.all(person.id)]
        assert "I live in Lisbon these days" in contents
        # Afterwards, plain messages go to the conversation again.
        assert "can't chat yet" in await say(rt, "hello")
        assert "good to see you" in await say(rt, "/start")


async def test_skip_and_resume_without_a_model(tmp_path: Path, clock: ManualClock) -> None:
    async with no_model_runtime(tmp_path, clock) as rt:
        await say(rt, "/start")
        await say(rt, "call me jo")
        assert (await person_of(rt)).display_name == "Jo"
        assert "send /start whenever you like" in await say(rt, "skip")
        assert "can't chat yet" in await say(rt, "what's up")  # not taken as an answer
        assert "nothing to skip" in await say(rt, "/skip")

        resumed = await say_all(rt, "/start")
        assert "Welcome back" in resumed[0].text
        assert "Where in the world are you?" in resumed[1].text
        assert "couldn't place that" in await say(rt, "Atlantis")
        assert "UTC+2 (it's 11:00 there now)" in await say(rt, "UTC+2")
        assert "Sorry about that. Where in the world" in await say(rt, "no")
        assert "Asia/Tokyo" in await say(rt, "tokyo")
        assert "Is that right? Please answer yes or no." in await say(rt, "hmm")
        corrected = await say(rt, "no, I'm in Porto actually")
        assert "Europe/Lisbon" in corrected
        # The Yes button answers the question too.
        pressed = await rt.companion.handle(dm(callback_data="onb:yes"))
        assert "What would you like to work on?" in pressed[0].text
        assert (await person_of(rt)).timezone == "Europe/Lisbon"

        assert "send /start" in await say(rt, "/skip")
        assert "What would you like to work on?" in (await say_all(rt, "/start"))[1].text
        assert "add goals any time" in await say(rt, "none")
        assert "I won't check in on my own" in await say(rt, "never")
        person = await person_of(rt)
        assert person.settings["checkins_enabled"] is False
        assert person.settings["onboarding"]["status"] == "done"
        # /start again redoes it from the top.
        assert "what should I call you?" in (await say_all(rt, "/start again"))[1].text
        assert (await rt.companion.handle(dm(callback_data="onb:yes")))[0].text.startswith(
            "Nice to meet you"
        )


async def test_onboarding_is_per_person(tmp_path: Path, clock: ManualClock) -> None:
    async with no_model_runtime(tmp_path, clock) as rt:
        await say(rt, "/start", user="1")
        await say(rt, "Ana", user="1")
        # Someone else's plain message is not an onboarding answer.
        assert "can't chat yet" in await say(rt, "Berlin", user="2")
        assert "Europe/Berlin" not in str((await person_of(rt, "2")).settings)
        assert "Europe/Berlin" in await say(rt, "Berlin", user="1")


async def test_model_places_a_town_the_table_does_not_know(
    runtime: Runtime, fake_llm: FakeOpenAI
) -> None:
    await say(runtime, "/start")
    await say(runtime, "Priya")
    fake_llm.push(Reply(text="Asia/Kathmandu"))
    assert "Asia/Kathmandu" in await say(runtime, "I'm in Pokhara, near the lake")
    asked = fake_llm.chat_requests()[-1]["messages"]
    assert "IANA timezone" in asked[0]["content"]
    assert asked[-1]["content"] == "I'm in Pokhara, near the lake"
    assert (await person_of(runtime)).timezone == "UTC"  # still to be confirmed
    await say(runtime, "yes")
    assert (await person_of(runtime)).timezone == "Asia/Kathmandu"
    # An invented zone is refused, not stored.
    await say(runtime, "/start again")
    await say(runtime, "Priya")
    fake_llm.push(Reply(text="Mars/Olympus_Mons"))
    assert "couldn't place that" in await say(runtime, "somewhere far away")
    # Table hits never ask the model.
    before = len(fake_llm.chat_requests())
    await say(runtime, "Kathmandu")
    assert len(fake_llm.chat_requests()) == before
    assert await runtime.people.find(Identity("telegram", "42")) is not None


async def test_start_in_a_group_points_to_a_private_chat(runtime: Runtime) -> None:
    from bot.types import ChannelRef, IncomingMessage

    group = IncomingMessage(
        identity=Identity("telegram", "42"),
        channel=ChannelRef("telegram", "-100", is_private=False),
        text="/start",
    )
    assert "private chat" in (await runtime.companion.handle(group))[0].text
    assert "onboarding" not in (await person_of(runtime)).settings


async def test_a_failing_step_is_answered_kindly_and_the_message_kept(
    tmp_path: Path, clock: ManualClock
) -> None:
    async with no_model_runtime(tmp_path, clock) as rt:
        await say(rt, "/start")

        async def broken(person_id: int, **fields: object) -> None:
            raise RuntimeError("disk full")

        rt.people.update = broken  # type: ignore[method-assign]
        assert "something went wrong on my side" in await say(rt, "Sam")
        pid = (await person_of(rt)).id
        assert "Sam" in [t.content for t in await rt.turns.all(pid)]
        assert (await person_of(rt)).settings["onboarding"]["step"] == "name"


async def test_onboarding_in_the_terminal_without_a_model(tmp_path: Path) -> None:
    from tests.test_cli import companion

    env = {"COMPANION_DATA_DIR": str(tmp_path / "data")}
    script = b"/start\nSam\nBerlin\nyes\nwalk every day\ndone\n8am\n/goals\n"
    code, out, err = await companion(["chat"], env, script, cwd=tmp_path)
    assert code == 0, err
    assert "Nice to meet you, Sam!" in out
    assert "Europe/Berlin" in out and "[Yes]  [No]" in out
    assert "All set, Sam! I'll check in around 08:00" in out
    assert "1. Walk every day (daily; no streak yet)" in out
