"""Discord with several workers, for real: two ``companion run --role worker``
processes on one PostgreSQL database, both connected to the fake Discord's gateway
with the same token (so, as on Discord without sharding, each gets every DM).

Each DM is recorded once and answered by exactly one worker, one person's messages
in order; a worker killed -9 while the model thinks about a message leaves it to
the other once its lease runs out, and it is answered once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import postgres_available, postgres_database
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.openai_server import FakeOpenAI, Reply, last_user_text
from tests.test_discord_gateway import until
from tests.test_discord_restart import Bot, bot_env, connected

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

PEOPLE = [412345678901230001, 412345678901230002, 412345678901230003]
DOOMED = 412345678901230009


@pytest.fixture
async def workers(tmp_path: Path) -> AsyncIterator[tuple[FakeDiscord, FakeOpenAI, list[Bot], str]]:
    if not postgres_available():
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    fake = await FakeDiscord().start()
    llm = await FakeOpenAI().start()
    bots: list[Bot] = []
    async with postgres_database() as url:
        try:
            for n in range(2):
                env = bot_env(
                    fake,
                    llm,
                    tmp_path / f"w{n}",
                    ARGS="--role worker",
                    COMPANION_DATABASE_URL=url,
                    COMPANION_WORKER_ID=f"worker-{n}",
                    COMPANION_INBOX_LEASE_SECONDS="3",
                )
                (tmp_path / f"w{n}").mkdir()
                bots.append(await Bot(env, tmp_path / f"w{n}" / "bot.log").start())
            await connected(fake, bots[0], count=2)
            yield fake, llm, bots, url
        finally:
            for bot in bots:
                await bot.stop()
            await fake.stop()
            await llm.stop()


async def holder(url: str, message_id: str) -> str | None:
    """Which worker holds the inbox entry of this Discord message."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            found = await conn.scalar(
                text("SELECT claimed_by FROM inbox WHERE platform = 'discord' AND update_id = :u"),
                {"u": message_id},
            )
            return str(found) if found is not None else None
    finally:
        await engine.dispose()


async def test_two_discord_workers_answer_every_dm_once_even_when_one_is_killed(
    workers: tuple[FakeDiscord, FakeOpenAI, list[Bot], str],
) -> None:
    fake, llm, bots, url = workers

    def replies(body: dict[str, Any]) -> Reply:
        said = last_user_text(body)
        return Reply(text=f"You said: {said}", delay=5.0 if "slow" in said else 0.1)

    llm.responder = replies
    for n in range(3):
        for person in PEOPLE:
            await fake.say(person, f"m{n}")
    for person in PEOPLE:
        dm = fake.dm_channel(person)
        await until(lambda dm=dm: len(fake.posted(dm)) >= 3, within=60)

    # kill -9 the worker that is answering this one, while the model thinks.
    slow = await fake.say(DOOMED, "a slow question")
    await until(lambda: any("slow" in last_user_text(r) for r in llm.chat_requests()), 30)
    owner = await holder(url, slow["id"])
    assert owner in ("worker-0", "worker-1")
    doomed = bots[int(owner[-1])]
    await doomed.kill9()
    await fake.say(PEOPLE[0], "while a worker is down")
    llm.responder = lambda body: Reply(text=f"You said: {last_user_text(body)}")
    await until(lambda: fake.posted(fake.dm_channel(DOOMED)) != [], within=60)
    await until(lambda: len(fake.posted(fake.dm_channel(PEOPLE[0]))) >= 4, within=30)
    await asyncio.sleep(1.5)  # a duplicate would arrive now

    for person in PEOPLE[1:]:
        assert fake.posted(fake.dm_channel(person)) == [f"You said: m{n}" for n in range(3)]
    assert fake.posted(fake.dm_channel(PEOPLE[0])) == [
        *[f"You said: m{n}" for n in range(3)],
        "You said: while a worker is down",
    ]
    assert fake.posted(fake.dm_channel(DOOMED)) == ["You said: a slow question"]
    survivor = bots[1 - int(owner[-1])]
    assert await holder(url, slow["id"]) == f"worker-{1 - int(owner[-1])}"
    assert survivor.proc is not None and survivor.proc.returncode is None
