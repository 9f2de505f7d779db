"""Warm-ups run in daemon threads: a stop never waits for a model still loading."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bot.background import warm_in_background


def test_a_stop_does_not_wait_for_a_warm_up_still_loading() -> None:
    release = threading.Event()
    loading: list[threading.Thread] = []

    def slow_load() -> str:
        loading.append(threading.current_thread())
        release.wait(timeout=30)
        return "model"

    async def main() -> None:
        warm_in_background(slow_load, "test model")
        await asyncio.sleep(0.05)  # the thread has begun

    asyncio.run(main())  # returns although the load goes on (to_thread would block here)
    try:
        assert loading and loading[0].is_alive() and loading[0].daemon
    finally:
        release.set()
        loading[0].join(timeout=5)
    assert not loading[0].is_alive()  # the loop had closed: its outcome dropped quietly


async def test_the_outcome_arrives_on_the_future() -> None:
    assert await warm_in_background(lambda: 42, "answer") == 42

    def broken() -> int:
        raise OSError("no model files here")

    with pytest.raises(OSError, match="no model files"):
        await warm_in_background(broken, "broken")


async def test_a_cancelled_warm_up_is_left_alone() -> None:
    release = threading.Event()
    future = warm_in_background(lambda: release.wait(timeout=30), "cancelled")
    future.cancel()
    release.set()
    await asyncio.sleep(0.1)  # the thread's outcome reaches a done future: ignored
    assert future.cancelled()
