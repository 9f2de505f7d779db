"""Loading a model in the background without holding up a stop.

``asyncio.to_thread`` runs on the loop's default executor, which ``asyncio.run`` and
the interpreter join before exiting: a Ctrl-C in the first seconds after start then
waits for a chat model's or the embedding model's import to finish (2-7 s). A warm-up
is only a head start (the first use loads the model anyway), so it runs in a daemon
thread that a stopping process leaves behind."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import sys
import threading
from collections.abc import Callable
from types import ModuleType
from typing import TypeVar

T = TypeVar("T")

# Platform quirk (CPython 3.11, numpy 2): one thread importing numpy while another
# imports chromadb (which imports numpy) fails in the second with "cannot import name
# ... from partially initialized module numpy._typing", or a _DeadlockError: the first
# message's memory search racing the embedding model's warm-up lost its memory. Every
# import of these heavy modules goes through one lock (re-entrant: they nest).
_IMPORTING = threading.RLock()


def import_heavy(name: str) -> ModuleType:
    """``importlib.import_module(name)``, one thread at a time while it loads; a
    module already loaded costs a dictionary lookup."""
    module = sys.modules.get(name)
    if module is not None and not getattr(module.__spec__, "_initializing", False):
        return module
    with _IMPORTING:
        return importlib.import_module(name)


def warm_in_background(load: Callable[[], T], name: str) -> asyncio.Future[T]:
    """Run ``load`` in a daemon thread; its outcome arrives on the returned future
    (dropped when the loop has closed, or the future was cancelled, meanwhile)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        try:
            outcome: tuple[T | None, BaseException | None] = (load(), None)
        except BaseException as exc:  # handed to the loop, which logs it
            outcome = (None, exc)
        with contextlib.suppress(RuntimeError):  # the loop closed: nobody is waiting
            loop.call_soon_threadsafe(settle, *outcome)

    threading.Thread(target=run, name=f"warm-up {name}", daemon=True).start()
    return future
