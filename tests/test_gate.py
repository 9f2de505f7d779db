"""The work gate: a few turns at once, model waits outside, no lost or extra places."""

from __future__ import annotations

import asyncio

import pytest

from bot.gate import WorkGate


async def test_at_most_size_inside_and_the_rest_wait_in_order() -> None:
    gate = WorkGate(2)
    inside, most, order = 0, 0, []

    async def work(n: int) -> None:
        nonlocal inside, most
        async with gate.inside():
            inside += 1
            most = max(most, inside)
            order.append(n)
            await asyncio.sleep(0.01)
            inside -= 1

    await asyncio.gather(*(work(n) for n in range(6)))
    assert most == 2
    assert order == list(range(6))
    assert not gate.backlog


async def test_stepping_out_lets_another_in_and_comes_back() -> None:
    gate = WorkGate(1)
    model_waiting = asyncio.Event()
    release_model = asyncio.Event()
    log: list[str] = []

    async def slow_turn() -> None:
        async with gate.inside():
            async with gate.stepped_out():
                model_waiting.set()
                await release_model.wait()
            log.append("slow back inside")

    async def quick_turn() -> None:
        await model_waiting.wait()
        async with gate.inside():
            log.append("quick done")
        release_model.set()

    await asyncio.wait_for(asyncio.gather(slow_turn(), quick_turn()), 2)
    assert log == ["quick done", "slow back inside"]


async def test_nested_entry_by_the_same_task_does_not_wait_on_itself() -> None:
    gate = WorkGate(1)
    async with gate.inside():
        async with gate.inside():
            pass
    # The one place is free again: a fresh entry gets in at once.
    await asyncio.wait_for(gate.inside().__aenter__(), 0.5)


async def exactly_one_inside(gate: WorkGate) -> bool:
    inside = most = 0

    async def count() -> None:
        nonlocal inside, most
        async with gate.inside():
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.01)
            inside -= 1

    await asyncio.wait_for(asyncio.gather(count(), count(), count()), 2)
    return most == 1


@pytest.mark.parametrize("when", ["stepped out", "coming back"])
async def test_a_cancelled_turn_leaves_exactly_one_place(when: str) -> None:
    gate = WorkGate(1)
    out = asyncio.Event()
    stay = asyncio.Event()

    async def victim() -> None:
        async with gate.inside():
            async with gate.stepped_out():
                out.set()
                await asyncio.sleep(10 if when == "stepped out" else 0.01)
            await asyncio.sleep(10)  # not reached while the occupant is inside

    async def occupant() -> None:
        await out.wait()
        async with gate.inside():
            await stay.wait()

    v = asyncio.create_task(victim())
    o = asyncio.create_task(occupant())
    await asyncio.sleep(0.1)
    assert gate.backlog is (when == "coming back")
    v.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(v, 1)  # it unwinds without queueing to get back in
    stay.set()
    await o
    assert await exactly_one_inside(gate)
