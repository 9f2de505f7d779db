"""Goals through the real engine: model tools via the fake OpenAI server, /goals
without a model, progress landing on the right goal, export/erase, isolation."""

from __future__ import annotations

from pathlib import Path

from bot.runtime import Runtime
from memory.goals import GoalStore
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.goal_helpers import no_model_runtime, person_of, say


def store(runtime: Runtime) -> GoalStore:
    goals = runtime.services.goals
    assert goals is not None
    return goals.store


async def test_goals_created_updated_completed_through_model_tools(
    runtime: Runtime, fake_llm: FakeOpenAI, clock: ManualClock
) -> None:
    fake_llm.push(
        Reply(
            tool_calls=[
                (
                    "add_goal",
                    {
                        "title": "Run a 10k",
                        "why": "to feel strong again",
                        "cadence": "by_date",
                        "target_date": "2026-09-01",
                    },
                ),
                ("add_goal", {"title": "Meditate", "cadence": "daily"}),
            ]
        ),
        Reply(text="Two goals, noted."),
    )
    assert await say(runtime, "I want to run a 10k by September and meditate daily") == (
        "Two goals, noted."
    )
    pid = (await person_of(runtime)).id
    goals = await store(runtime).all(pid)
    assert [(g.title, g.cadence, g.why) for g in goals] == [
        ("Run a 10k", "by_date", "to feel strong again"),
        ("Meditate", "daily", None),
    ]
    assert goals[0].target_date is not None and goals[0].target_date.isoformat() == "2026-09-01"
    tool_results = [m for m in fake_llm.chat_requests()[1]["messages"] if m["role"] == "tool"]
    assert "added goal 1. Run a 10k" in tool_results[0]["content"]

    clock.advance(minutes=5)
    fake_llm.push(
        Reply(tool_calls=[("update_goal", {"goal": "meditate", "title": "Meditate 10 minutes"})]),
        Reply(tool_calls=[("complete_goal", {"goal": "1"})]),  # its number
        Reply(text="Updated and done!"),
    )
    await say(runtime, "make it meditate 10 minutes, and I ran the 10k!")
    done = await store(runtime).get(pid, goals[0].id)
    assert done is not None and done.status == "done"
    assert done.completed_at == clock.now()
    renamed = await store(runtime).get(pid, goals[1].id)
    assert renamed is not None and renamed.title == "Meditate 10 minutes"

    fake_llm.push(
        Reply(tool_calls=[("add_goal", {"title": "meditate 10 minutes"})]), Reply(text="ok")
    )
    await say(runtime, "add meditating 10 minutes")
    duplicate = [m for m in fake_llm.chat_requests()[-1]["messages"] if m["role"] == "tool"][-1]
    assert duplicate["content"].startswith("not added: there is already a goal")
    assert len(await store(runtime).all(pid)) == 1

    fake_llm.push(Reply(tool_calls=[("list_goals", {"include_closed": True})]), Reply(text="ok"))
    await say(runtime, "what are my goals?")
    listed = [m for m in fake_llm.chat_requests()[-1]["messages"] if m["role"] == "tool"][-1]
    assert "Meditate 10 minutes" in listed["content"] and "done" in listed["content"]


async def test_progress_in_passing_is_logged_against_the_right_goal(
    runtime: Runtime, fake_llm: FakeOpenAI, clock: ManualClock
) -> None:
    await say(runtime, "/goals add Run 3 times a week | health")
    await say(runtime, "/goals add Read every evening")
    await say(runtime, "/goals add Learn Spanish")
    pid = (await person_of(runtime)).id
    run, read, spanish = await store(runtime).all(pid)

    # The model sees the active goals, numbered as in /goals, in its context.
    fake_llm.push(
        Reply(tool_calls=[("log_progress", {"goal": "1", "amount": 5, "note": "ran 5k"})]),
        Reply(text="Nice run!"),
    )
    assert await say(runtime, "ran 5k this morning, legs are dead") == "Nice run!"
    system = fake_llm.chat_requests()[-2]["messages"][0]["content"]
    assert "1. Run 3 times a week" in system and "3. Learn Spanish" in system
    assert "their local time now: Monday 2026-05-04 09:00" in system
    tools = {t["function"]["name"] for t in fake_llm.chat_requests()[-2]["tools"]}
    assert {"add_goal", "update_goal", "log_progress", "complete_goal", "list_goals"} <= tools

    # A loose title goes through the deterministic matcher.
    clock.advance(hours=3)
    fake_llm.push(
        Reply(tool_calls=[("log_progress", {"goal": "reading", "note": "30 pages"})]),
        Reply(text="Good chapter?"),
    )
    await say(runtime, "read 30 pages at lunch")
    # No goal named at all: matched from the note.
    clock.advance(hours=1)
    fake_llm.push(
        Reply(tool_calls=[("log_progress", {"note": "spanish lesson on duolingo"})]),
        Reply(text="¡Muy bien!"),
    )
    await say(runtime, "did my spanish lesson")
    # Nothing matches: the model is told which goals exist, nothing is logged.
    fake_llm.push(
        Reply(tool_calls=[("log_progress", {"goal": "pottery", "note": "made a bowl"})]),
        Reply(text="Lovely bowl."),
    )
    await say(runtime, "made a bowl in pottery class")
    refusal = [m for m in fake_llm.chat_requests()[-1]["messages"] if m["role"] == "tool"][-1]
    assert "no goal matches" in refusal["content"] and "Learn Spanish" in refusal["content"]

    entries = await store(runtime).progress(pid, [run.id, read.id, spanish.id])
    assert [(e.amount, e.note) for e in entries[run.id]] == [(5.0, "ran 5k")]
    assert [e.note for e in entries[read.id]] == ["30 pages"]
    assert [e.note for e in entries[spanish.id]] == ["spanish lesson on duolingo"]
    # Each entry points back at the message it came from.
    turns = {t.id: t.content for t in await runtime.turns.all(pid)}
    assert turns[entries[run.id][0].source_turn_id or 0] == "ran 5k this morning, legs are dead"
    assert turns[entries[read.id][0].source_turn_id or 0] == "read 30 pages at lunch"

    listing = await say(runtime, "/goals")
    assert "1. Run 3 times a week (3x a week; 1/3 this week" in listing
    assert "why: health" in listing
    assert "Learn Spanish (1 update; last today" in listing


async def test_goals_command_works_without_a_model(tmp_path: Path, clock: ManualClock) -> None:
    async with no_model_runtime(tmp_path, clock) as rt:
        assert "no goals yet" in await say(rt, "/goals")
        assert "Added goal 1: Learn to juggle. Send" in await say(rt, "/goals add Learn to juggle")
        assert "Dropped: Learn to juggle." in await say(rt, "/goals drop 1")
        assert "Added goal 2: Meditate every day (daily" in await say(
            rt, "/goals add Meditate every day"
        )
        assert "by 2026-06-30; 57 days left" in await say(rt, "/goals add Run a 10k by June")
        assert "already have that one" in await say(rt, "/goals add run a 10k by june")
        # Numbers stay: the dropped goal keeps 1, so Meditate is 2 and the 10k is 3.
        assert "is dropped already" in await say(rt, "/goals log 1 10 minutes")
        assert "Logged" in await say(rt, "/goals log 2 10 minutes, calm")
        assert "2. Meditate every day (daily; done today" in await say(rt, "/goals")
        assert "Paused: Meditate every day" in await say(rt, "/goals pause 2")
        assert "paused" in await say(rt, "/goals")
        assert "Back on" in await say(rt, "/goals resume meditate")
        assert "Well done" in await say(rt, "/goals done 3")
        listing = await say(rt, "/goals")
        assert "10k" not in listing and "2. Meditate every day" in listing
        assert "3. Run a 10k by June (done" in await say(rt, "/goals all")
        assert "Noted why" in await say(rt, "/goals why 2 it keeps me sane")
        assert "why: it keeps me sane" in await say(rt, "/goals")
        # Bad input gets a short, kind answer.
        assert "no goal number 7" in await say(rt, "/goals done 7")
        assert "What's the goal?" in await say(rt, "/goals add")
        long = await say(rt, "/goals add " + "very long goal " * 334)
        assert "5,009 characters; a title can be up to 200" in long
        assert "5,009" not in await say(rt, "/goals all")  # refused whole, nothing saved
        assert "/goals add <title>" in await say(rt, "/goals frobnicate")
        pid = (await person_of(rt)).id
        meditate = (await store(rt).all(pid))[0]
        assert meditate.title == "Meditate every day" and meditate.id == 2  # /goals 2 is #2
        entries = await store(rt).progress(pid, [meditate.id])
        assert [(e.amount, e.note, e.source_turn_id) for e in entries[meditate.id]] == [
            (10.0, "10 minutes, calm", None)
        ]


async def test_goals_are_private_per_person_and_in_export_and_erasure(
    runtime: Runtime, fake_llm: FakeOpenAI
) -> None:
    await say(runtime, "/goals add Run every day", user="1")
    await say(runtime, "/goals add Paint weekly", user="2")
    alice, bob = await person_of(runtime, "1"), await person_of(runtime, "2")
    alice_goal = (await store(runtime).all(alice.id))[0]
    # Bob's model names Alice's goal: it is not his, so nothing happens to it.
    fake_llm.push(
        Reply(tool_calls=[("complete_goal", {"goal": alice_goal.title})]),
        Reply(tool_calls=[("log_progress", {"goal": "2", "note": "x"})]),
        Reply(text="hm"),
    )
    await say(runtime, "I'm done with that", user="2")
    still = await store(runtime).get(alice.id, alice_goal.id)
    assert still is not None and still.status == "active"
    assert (await store(runtime).progress(alice.id, [alice_goal.id]))[alice_goal.id] == []
    assert "Run every day" not in await say(runtime, "/goals", user="2")
    assert runtime.services.goals is not None
    assert await runtime.services.goals.active_summary(bob.id) == [
        "Paint weekly (weekly; no streak yet)"
    ]
    # The context of Bob's turn never carried Alice's goal.
    assert all("Run every day" not in r["messages"][0]["content"] for r in fake_llm.chat_requests())

    await say(runtime, "/goals log 1 5 felt good", user="1")
    exported = await runtime.export_person(alice.id)
    assert exported["goals"][0]["title"] == "Run every day"
    assert exported["goals"][0]["progress"][0]["note"] == "5 felt good"
    assert exported["goals"][0]["progress"][0]["amount"] == 5.0
    assert "Paint" not in str(exported)

    await runtime.erase_person(alice.id)
    assert await store(runtime).count(alice.id) == 0
    async with runtime.db.session() as s:
        from sqlalchemy import text

        left = await s.scalar(
            text("SELECT count(*) FROM goal_progress WHERE person_id = :p"), {"p": alice.id}
        )
    assert left == 0
    assert await store(runtime).count(bob.id) == 1


async def test_goal_tools_stay_out_of_group_chats(runtime: Runtime, fake_llm: FakeOpenAI) -> None:
    from bot.types import ChannelRef, Identity, IncomingMessage

    await say(runtime, "/goals add Secret goal")
    group = IncomingMessage(
        identity=Identity("telegram", "42"),
        channel=ChannelRef("telegram", "-100", is_private=False),
        text="hi all",
        addressed=True,
    )
    fake_llm.say("hello group")
    await runtime.companion.handle(group)
    request = fake_llm.chat_requests()[-1]
    assert "Secret goal" not in str(request["messages"])
    assert not {"log_progress", "add_goal"} & {
        t["function"]["name"] for t in request.get("tools", [])
    }
