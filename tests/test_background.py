"""Warm-ups run in daemon threads: a stop never waits for a model still loading."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from pathlib import Path

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


_RACE = """
import sys, threading
from bot.background import import_heavy
errors = []

def warm_up():  # the vector store opening (chromadb imports numpy)
    try:
        import_heavy("chromadb")  # as VectorIndex does
    except BaseException as exc:
        errors.append(repr(exc))

thread = threading.Thread(target=warm_up)
thread.start()
try:  # meanwhile the first message's word search needs numpy on the event loop
    np = import_heavy("numpy")
    np.zeros(3).sum()
except BaseException as exc:
    errors.append(repr(exc))
thread.join()
print(errors or "ok")
sys.exit(1 if errors else 0)
"""


@pytest.mark.parametrize("attempt", range(3))
def test_numpy_and_chromadb_imported_from_two_threads_at_once(attempt: int) -> None:
    """Plain imports from two threads at once failed every time here ("cannot import
    name 'NDArray' from partially initialized module 'numpy._typing'"); through
    import_heavy they take turns. A fresh interpreter each time: nothing loaded yet."""
    done = subprocess.run(
        [sys.executable, "-c", _RACE],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stdout + done.stderr
