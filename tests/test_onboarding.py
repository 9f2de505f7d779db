"""/start onboarding through the real engine: without a model (deterministic), with
skip and resume, timezone inference and confirmation, and the model's help for a town
the built-in table does not know."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.onboarding.reading import name_from
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
        rt.services.checkins = checkins
        first = await say_all(rt, "/start")
        assert len(first) == 2
        assert "an AI companion: a computer program, not a person" in first[0].text
        assert "No chat model is set up yet" in first[0].text
        assert "what should I call you?" in first[1].text and "ok to keep user42" in first[1].text

        assert "What name should I use" in await say(rt, "hi!")
        # Not an answer: the conversation takes it (no model here), then the question.
        aside = await say(rt, "well it has been a long day honestly")
        assert "can't chat yet" in aside
        assert "(Whenever you're ready: what should I call you? Say ok to keep user42" in aside
        assert "sounds like a time or a place" in await say(rt, "UTC+2")
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
        goals = await rt.services.goals.active_summary(person.id)
        assert goals == [
            "Run 3 times a week (3x a week; 0/3 this week; no streak yet)",
            "Read every evening (daily; no streak yet)",
        ]
        # The exchange is kept in the conversation log.
        contents = [t.content for t in await rt.turns.all(person.id)]
        assert "I live in Lisbon these days" in contents
        assert "well it has been a long day honestly" in contents
        # Afterwards, plain messages go to the conversation again.
        assert "can't chat yet" in await say(rt, "hello")
        assert "good to see you" in await say(rt, "/start")


async def test_two_asides_pause_the_questions_only_in_a_row(
    tmp_path: Path, clock: ManualClock
) -> None:
    """An answer between two asides, even one that is not understood, ends the row."""
    async with no_model_runtime(tmp_path, clock) as rt:
        await say(rt, "/start")
        assert "Whenever you're ready" in await say(rt, "I just adopted a puppy named Pixel")
        assert "sounds like a time or a place" in await say(rt, "UTC+2")  # an answer, unclear
        aside = await say(rt, "well it has been a long day honestly")
        assert "(Whenever you're ready: what should I call you?" in aside
        assert (await person_of(rt)).settings["onboarding"]["status"] == "active"
        paused = await say(rt, "and the puppy chewed my shoes")  # now two in a row
        assert "send /start whenever you'd like" in paused
        assert (await person_of(rt)).settings["onboarding"]["status"] == "skipped"


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


def read_as(**fields: object) -> Reply:
    """What the model answers when onboarding asks it to read a reply."""
    return Reply(text=json.dumps(fields))


def reader_requests(fake_llm: FakeOpenAI) -> list[dict[str, Any]]:
    return [
        r
        for r in fake_llm.chat_requests()
        if str(r["messages"][0]["content"]).startswith("ONBOARDING READER")
    ]


async def test_the_model_reads_the_answers_and_each_is_checked(
    runtime: Runtime, fake_llm: FakeOpenAI
) -> None:
    await say(runtime, "/start")
    fake_llm.push(read_as(answered=True, name="Sasha"))
    assert "Nice to meet you, Sasha!" in await say(
        runtime, "Hey! Everyone calls me Sasha, short for Alexandra"
    )
    asked = reader_requests(fake_llm)[-1]["messages"]
    assert "What should I call you?" in asked[0]["content"]
    assert "Everyone calls me Sasha" in asked[-1]["content"]

    fake_llm.push(read_as(answered=True, timezone="Asia/Kathmandu"))
    assert "Asia/Kathmandu" in await say(runtime, "I'm in Pokhara, near the lake")
    assert (await person_of(runtime)).timezone == "UTC"  # still to be confirmed
    await say(runtime, "yes")  # obvious: no model call
    assert (await person_of(runtime)).timezone == "Asia/Kathmandu"

    fake_llm.push(read_as(answered=True, goals=["Learn the guitar", "Sleep more"], no_more=False))
    reply = await say(runtime, "I'd love to finally learn the guitar, and also sleep more")
    assert "Noted: Learn the guitar; Sleep more." in reply
    fake_llm.push(read_as(answered=True, times=["08:30", "19:00"], never=False))
    assert "around 08:30, 19:00" in await say(runtime, "half eight in the morning and at seven")
    person = await person_of(runtime)
    assert person.display_name == "Sasha" and person.settings["checkin_times"] == [
        "08:30",
        "19:00",
    ]

    # What the model says is checked: an invented zone or a "name" that is a timezone
    # is not taken; then the rules read the reply instead.
    await say(runtime, "/start again")
    fake_llm.push(read_as(answered=True, name="UTC+2"))
    assert "sounds like a time or a place" in await say(runtime, "I'm on UTC+2 by the way")
    await say(runtime, "Priya")
    fake_llm.push(read_as(answered=True, timezone="Mars/Olympus_Mons"))
    assert "couldn't place that" in await say(runtime, "somewhere far away")
    # A model that fails: the rules read it, and the interview goes on.
    fake_llm.push(Reply(status=500))
    assert "Europe/Lisbon" in await say(runtime, "I live in Lisbon now")
    before = len(fake_llm.chat_requests())
    await say(runtime, "Kathmandu")  # a place the table knows: no model call
    assert len(fake_llm.chat_requests()) == before


async def test_a_message_that_is_not_an_answer_gets_a_real_reply(
    runtime: Runtime, fake_llm: FakeOpenAI
) -> None:
    await say(runtime, "/start")
    fake_llm.push(read_as(answered=False), Reply(text="A puppy! Pixel is a great name."))
    replies = await say_all(runtime, "Hello, I just adopted a puppy named Pixel.")
    assert replies[0].text == "A puppy! Pixel is a great name."
    assert replies[1].text.startswith("(Whenever you're ready: what should I call you?")
    conversation = fake_llm.chat_requests()[-1]["messages"]
    assert "Getting started" in conversation[0]["content"]  # told not to re-ask itself
    # Stored as a conversation turn, so it is in the history of the next one.
    fake_llm.push(read_as(answered=False), Reply(text="That you adopted Pixel, a puppy."))
    replies = await say_all(runtime, "What did I just tell you?")
    assert replies[0].text == "That you adopted Pixel, a puppy."
    history = fake_llm.chat_requests()[-1]["messages"]
    assert any(m["content"] == "Hello, I just adopted a puppy named Pixel." for m in history)
    # Twice in a row: the questions wait until /start.
    assert "send /start whenever you'd like" in replies[1].text
    fake_llm.push(Reply(text="Just chatting now."))
    assert await say(runtime, "Sam") == "Just chatting now."  # not taken as an answer
    resumed = await say_all(runtime, "/start")
    assert "Welcome back" in resumed[0].text and "what should I call you?" in resumed[1].text
    contents = [t.content for t in await runtime.turns.all((await person_of(runtime)).id)]
    assert "What did I just tell you?" in contents


async def test_the_rules_tell_answers_from_everything_else(
    tmp_path: Path, clock: ManualClock
) -> None:
    async with no_model_runtime(tmp_path, clock) as rt:
        await say(rt, "/start")
        assert "can't chat yet" in await say(rt, "I'm tired")  # a feeling, not a name
        assert "Nice to meet you, user42!" in await say(rt, "ok")  # as the hint says
        await say(rt, "Berlin")
        await say(rt, "yes")
        assert "can't chat yet" in await say(rt, "What did I just tell you?")
        assert "Noted: Read more." in await say(rt, "read more")
        # Times at the goals step are check-in times, not a goal.
        done = await say(rt, "9am and 8pm")
        assert "Those sound like times" in done and "around 09:00, 20:00" in done
        pid = (await person_of(rt)).id
        titles = [g.title for g in await rt.services.goals.store.all(pid)]
        assert titles == ["Read more"]


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
    script = (
        b"/start\nHello, I just adopted a puppy named Pixel.\nSam\nBerlin\nyes\n"
        b"walk every day\ndone\n8am\n/goals\n"
    )
    code, out, err = await companion(["chat"], env, script, cwd=tmp_path)
    assert code == 0, err
    assert "I can't chat yet" in out and "(Whenever you're ready: what should I call you?" in out
    assert "Nice to meet you, Sam!" in out
    assert "Europe/Berlin" in out and "[1] Yes   [2] No" in out
    assert "All set, Sam! I'll check in around 08:00" in out
    assert "And on Sundays at 19:00 a picture of your week (/settings review" in out
    assert "1. Walk every day (daily; no streak yet)" in out


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Sam", "Sam"),
        ("call me jo", "Jo"),
        ("hi, I'm Ana María, I live in Lisbon", "Ana María"),
        ("UTC+2", None),
        ("9am", None),
        ("Europe/Berlin", None),
        ("I'm tired", None),
        ("I'm not sure", None),
        ("What did I just tell you?", None),
        ("Hello, I just adopted a puppy named Pixel.", None),
    ],
)
def test_obvious_non_names_are_not_names(text: str, name: str | None) -> None:
    assert name_from(text) == name
