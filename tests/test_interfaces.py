"""Features reach each other through typed slots and small Protocols (bot/interfaces.py),
and are installed in an order the runtime checks: a wrong order fails when the runtime
is built, with a sentence naming both features; a feature that is not there is a None
its callers live with."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

import bot.runtime as runtime_module
from bot.interfaces import MissingFeature, require
from bot.personal_page import PersonalPage
from bot.runtime import (
    Feature,
    FeatureOrderError,
    Runtime,
    Services,
    build_runtime,
    check_order,
    features,
)
from bot.types import ChannelRef, Identity, IncomingMessage
from tests.conftest import make_settings
from tests.fakes.channel import CaptureChannel
from tests.fakes.clock import ManualClock
from tests.goal_helpers import no_model_runtime, person_of, say
from tests.schedule_helpers import a_reason_at_every_slot, run_for, service


async def nothing(runtime: Runtime) -> None:
    return None


def named(*names: str, needs: dict[str, tuple[str, ...]] | None = None) -> list[Feature]:
    return [Feature(n, nothing, needs=(needs or {}).get(n, ())) for n in names]


# --------------------------------------------------------------------------- order


def test_a_feature_before_what_it_needs_is_refused_with_both_names() -> None:
    with pytest.raises(FeatureOrderError) as refused:
        check_order(named("goals", "linking", needs={"goals": ("linking",)}))
    assert str(refused.value) == (
        "the goals feature needs linking installed before it, but linking comes after it "
        "(install order: goals, linking)"
    )


def test_a_need_that_is_not_installed_at_all_is_refused() -> None:
    with pytest.raises(FeatureOrderError, match="needs media installed before it, but media is"):
        check_order(named("linking", "safety", needs={"safety": ("linking", "media")}))


def test_a_feature_listed_twice_is_refused() -> None:
    with pytest.raises(FeatureOrderError, match="the media feature is listed twice"):
        check_order(named("media", "linking", "media"))


def test_the_order_the_core_is_built_with_meets_every_need() -> None:
    chosen = features()
    check_order(chosen)
    needs = {f.name: set(f.needs) for f in chosen}
    # The orders the features rely on, stated once more where a reader looks for them:
    # everyone who keeps personal data merges it on /link; safety screens a voice note
    # after media made it words; onboarding never takes a crisis for an answer.
    for name in ("safety", "memories", "schedule", "goals", "web_access"):
        assert "linking" in needs[name], name
    assert {"media"} <= needs["safety"] and {"media", "safety"} <= needs["goals"]


async def test_build_runtime_refuses_a_wrong_order_before_opening_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shuffled = list(reversed(features()))
    monkeypatch.setattr(runtime_module, "features", lambda: shuffled)
    settings = make_settings(tmp_path)
    with pytest.raises(FeatureOrderError, match="the web_access feature needs linking"):
        await build_runtime(settings)
    assert not (settings.data_dir / "companion.db").exists()


# --------------------------------------------------------------------------- slots


async def test_every_feature_fills_its_slots_and_registers_with_linking(
    tmp_path: Path, clock: ManualClock
) -> None:
    async with no_model_runtime(tmp_path, clock) as rt:
        assert rt.services.installed() == [
            "linking",
            "hearing",
            "seeing",
            "speaking",
            "safety",
            "memory",
            "checkins",
            "followups",
            "goals",
            "preferences",
            "onboarding",
            "web_access",
        ]  # no scheduler: make_settings switches it off
        linking = rt.services.linking
        assert linking is not None
        assert set(linking.mergers) == {
            "safety",
            "memories",
            "conversation_index",
            "schedule",
            "followups",
            "goals",
            "web",
        }


async def test_without_features_every_slot_is_empty_and_the_page_says_which_is_missing(
    tmp_path: Path, clock: ManualClock
) -> None:
    rt = await build_runtime(make_settings(tmp_path), clock=clock, with_features=False)
    try:
        assert rt.services == Services() and rt.services.installed() == []
        page = PersonalPage(rt)
        with pytest.raises(MissingFeature, match="the memory feature is not installed"):
            page.memory  # noqa: B018 - the property is what is tested
        with pytest.raises(MissingFeature, match="the schedule feature is not installed"):
            page.schedule  # noqa: B018
    finally:
        await rt.close()
    assert require("here", "anything") == "here"


async def test_settings_and_link_work_without_the_checkin_scheduler(
    tmp_path: Path, clock: ManualClock
) -> None:
    async with no_model_runtime(tmp_path, clock) as rt:
        rt.services.checkins = None
        assert "Check-ins at 07:00" in await say(rt, "/settings checkins 7:00")
        assert (await person_of(rt)).settings["checkin_times"] == ["07:00"]
        code = re.search(r"\*\*([A-Z0-9]{4}-[A-Z0-9]{4})\*\*", await say(rt, "/link"))
        assert code is not None
        on_discord = IncomingMessage(
            identity=Identity("discord", "7"),
            channel=ChannelRef("discord", "7"),
            text=f"/link {code.group(1)}",
        )
        [linked] = await rt.companion.handle(on_discord)
        assert linked.text.startswith("Linked:")
        assert await rt.people.find(Identity("discord", "7")) == await person_of(rt)


async def test_checkins_go_out_without_the_goals_feature(
    tmp_path: Path, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 5, 4, 5, 0, tzinfo=UTC))  # Monday 07:00 in Berlin
    async with no_model_runtime(tmp_path, clock) as rt:
        channel = CaptureChannel(clock=clock)
        rt.outbox.register(channel)
        rt.services.goals = None
        await say(rt, "hello")
        person = await person_of(rt)
        await rt.people.update(person.id, timezone="Europe/Berlin")
        await service(rt).reschedule(person.id)
        with a_reason_at_every_slot():
            await run_for(rt, clock, hours=4)
        assert channel.texts() == ["Hi user42! How is your day going?"]
