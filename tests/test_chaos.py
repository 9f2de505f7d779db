"""Chaos scenarios from bench/chaos.py as tests: the real TelegramChannel in a
subprocess against the fake Bot API and the fake provider; every update answered
exactly once through crashes, 429 and 500 storms, late replies and model timeouts."""

from __future__ import annotations

import pytest

from bench.chaos import kill9, late, model_timeout, rig, storm

pytestmark = pytest.mark.slow


async def test_kill9_mid_message_then_restart_loses_and_doubles_nothing() -> None:
    async with rig() as r:
        outcome = await kill9(r)
    assert (outcome.lost, outcome.duplicated) == (0, 0), outcome.line()


async def test_429_storm_everyone_answered_once() -> None:
    async with rig() as r:
        outcome = await storm(r, 429)
    assert (outcome.lost, outcome.duplicated) == (0, 0), outcome.line()


async def test_500_storm_everyone_answered_once() -> None:
    async with rig() as r:
        outcome = await storm(r, 500)
    assert (outcome.lost, outcome.duplicated) == (0, 0), outcome.line()


async def test_late_reply_is_not_sent_twice() -> None:
    async with rig() as r:
        outcome = await late(r)
    assert (outcome.lost, outcome.duplicated) == (0, 0), outcome.line()
    assert "copies_in_chat=2/2" in outcome.note


async def test_model_timeout_gets_the_kind_answer_and_keeps_the_turn() -> None:
    async with rig() as r:
        outcome = await model_timeout(r)
    assert (outcome.lost, outcome.duplicated) == (0, 0), outcome.line()
    assert "kind_answers=3/3 turns_kept=3/3" in outcome.note
