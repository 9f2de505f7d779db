"""The console as a full channel, through the real `companion` command: at a terminal
(a pseudo-terminal) reminders arrive while it runs and after it was closed, buttons
are numbered and typed, Ctrl-C ends it at once, the log stays off the screen; piped,
files are written where it says and choices work the same."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta
from pathlib import Path

from adapters.terminal import to_terminal
from bot.runtime import build_runtime
from bot.types import Identity
from tests.conftest import make_settings
from tests.terminal_helpers import Terminal
from tests.test_cli import companion


async def _reminder_due_two_hours_ago(tmp_path: Path, text: str) -> None:
    """What a closed console missed: a reminder that fell due while it was not running."""
    runtime = await build_runtime(make_settings(tmp_path), with_features=True)
    try:
        now = runtime.clock.now()
        person = await runtime.people.resolve(Identity("console", "local"), now=now)
        store = runtime.services.checkins.store
        await store.add_reminder(person.id, text, now - timedelta(hours=2), now=now)
    finally:
        await runtime.close()


def test_a_terminal_session_gets_reminders_buttons_and_stops_at_ctrl_c(tmp_path: Path) -> None:
    asyncio.run(_reminder_due_two_hours_ago(tmp_path, "water the plants"))
    env = {"COMPANION_DATA_DIR": str(tmp_path / "data"), "COMPANION_SCHEDULER_TICK_SECONDS": "1"}
    term = Terminal(["chat"], env, tmp_path)
    try:
        term.expect("your AI companion")
        assert "/help lists the commands" in term.text
        # Missed while closed: delivered at start, saying it is late, with its buttons.
        term.expect("Reminder: water the plants")
        shown = term.expect("[5] Tomorrow")
        assert "Sorry, this is late" in shown and "[1] Done" in shown
        term.type("1")
        term.expect("Done: water the plants. Nice.")
        # Due while it runs: appears on its own, between prompts.
        term.type("/remind in 2 seconds stretch")
        term.expect("Reminder: stretch", timeout=20)
        term.type("skip")  # the button's words press it too
        term.expect("Skipped this time: stretch.")
        term.type("/link")  # Markdown (**code**) is styled, not shown raw
        term.expect("Your link code:")
        started = time.monotonic()
        term.interrupt()
        assert term.wait(timeout=10) == 130
        assert time.monotonic() - started < 5, "Ctrl-C should end it at once, no Enter needed"
    finally:
        term.close()
    assert "**" not in term.text
    assert " INFO " not in term.text and "Traceback" not in term.text  # the prompt stays clear
    assert "scheduler started" in (tmp_path / "data" / "companion.log").read_text()


def test_companion_run_console_fallback_stops_at_ctrl_c(tmp_path: Path) -> None:
    term = Terminal(["run"], {"COMPANION_DATA_DIR": str(tmp_path / "data")}, tmp_path)
    try:
        term.expect("you> ")
        term.type("/help")
        term.expect("Or just talk to me.")
        started = time.monotonic()
        term.interrupt()
        assert term.wait(timeout=10) == 0
        assert time.monotonic() - started < 5
    finally:
        term.close()
    assert "Running job" not in term.text


def test_piped_chat_saves_files_and_takes_typed_choices(tmp_path: Path) -> None:
    env = {"COMPANION_DATA_DIR": str(tmp_path / "data")}
    script = b"/export\n/deleteme\n2\n/deleteme\n/deleteme no\nDone\n/reminders\n"
    code, out, err = asyncio.run(companion(["chat"], env, script, cwd=tmp_path))
    assert code == 0, err
    saved = next(line for line in out.splitlines() if line.startswith("(saved to "))
    path = Path(saved.removeprefix("(saved to ").split(", ")[0])
    assert path.parent == (tmp_path / "data" / "files").resolve()
    assert json.loads(path.read_text())["identities"] == [
        {"platform": "console", "platform_user_id": "local"}
    ]
    assert path.stat().st_mode & 0o077 == 0  # personal data: this user only
    assert "[1] Yes, erase everything   [2] No, keep it" in out
    assert out.count("Okay, nothing was erased.") == 2  # "2", then "/deleteme no"
    # With no buttons on screen, "Done" is a message like any other.
    assert "I can't chat yet" in out
    assert "You have no upcoming reminders" in out
    # A second export does not overwrite the first.
    code, out, _ = asyncio.run(companion(["chat"], env, b"/export\n", cwd=tmp_path))
    assert "-2.json" in out and path.exists()


def test_the_console_asks_for_a_name_instead_of_using_its_account_name(tmp_path: Path) -> None:
    env = {"COMPANION_DATA_DIR": str(tmp_path / "data"), "COMPANION_AI_NOTICE": "false"}
    code, out, err = asyncio.run(companion(["chat"], env, b"/start\nMaya\n", cwd=tmp_path))
    assert code == 0, err
    assert "local" not in out  # the console's account id is not a person's name
    assert "what should I call you?" in out
    assert "Maya" in out  # the name given is the one used


def test_markdown_reads_well_in_a_terminal() -> None:
    text = "**Code:** `a*b*c` see [the docs](https://x.example) and _this_\n- one\n## Next"
    assert to_terminal(text, ansi=False) == (
        "Code: a*b*c see the docs (https://x.example) and this\n• one\nNext"
    )
    styled = to_terminal(text, ansi=True)
    assert "\x1b[1mCode:\x1b[0m" in styled and "\x1b[3mthis\x1b[0m" in styled
    assert "**" not in styled and "a*b*c" in styled  # code is kept as typed


async def test_console_lines_go_through_the_durable_inbox(tmp_path: Path) -> None:
    """The console is a channel like the others: each line is recorded in the inbox,
    answered, and closed; the answer is shown once, with its buttons numbered."""
    import io

    from adapters.console import ConsoleChannel

    runtime = await build_runtime(make_settings(tmp_path))
    out = io.StringIO()
    try:
        channel = ConsoleChannel(io.StringIO("/help\n/deleteme\n"), out, runtime=runtime)
        await channel.start(runtime.companion.handle)
        entries = await runtime.inbox.export_for([("console", "local")])
        statuses = [e.get("status") for e in entries]
    finally:
        await runtime.close()
    assert out.getvalue().count("Here's what I can do") == 1
    assert "[1]" in out.getvalue()  # /deleteme's confirmation buttons, numbered
    assert len(entries) == 2 and all(s == "done" for s in statuses), entries


async def test_forget_empties_the_inbox_copies_of_what_it_erases(tmp_path: Path) -> None:
    """The inbox keeps each answered line's raw text for a day (to know a redelivery);
    /forget must not leave the forgotten words there, nor in its own line."""
    import io

    from adapters.console import ConsoleChannel
    from tests.memory.test_conversation import files_containing

    canary = "zebracanary4471"
    settings = make_settings(tmp_path)
    assert settings.inbox_retention_hours > 0  # the default: raw updates are kept
    runtime = await build_runtime(settings)
    try:
        said = io.StringIO(f"the spare key is under the {canary} flowerpot\nI had soup\n")
        await ConsoleChannel(said, io.StringIO(), runtime=runtime).start(runtime.companion.handle)
        kept = await runtime.inbox.export_for([("console", "local")])
        assert any(canary in json.dumps(e) for e in kept)  # held, as for a redelivery
        out = io.StringIO()
        forget = io.StringIO(f"/forget {canary}\n")
        await ConsoleChannel(forget, out, runtime=runtime).start(runtime.companion.handle)
        assert "erased 1 message" in out.getvalue()
        # Every answered line's raw copy is emptied (the /forget line too); the rows
        # stay, so a redelivered update is still recognised.
        assert await runtime.inbox.export_for([("console", "local")]) == []
        entries = [e.update_id for e in await runtime.inbox.pending("console")]
    finally:
        await runtime.close()
    assert entries == []
    assert files_containing(settings.data_dir, canary.encode()) == []
