"""Signing in to the personal page (bot/web_access.py) on SQLite and PostgreSQL:
links from /web work once, for ten minutes, for the person who asked; only hashes
are stored; sessions expire, end everywhere at once, and go with /deleteme."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.runtime import Runtime, build_runtime
from bot.types import Identity
from bot.web_access import WebAccess, csrf_matches
from tests.conftest import make_settings
from tests.fakes.clock import ManualClock
from tests.web_helpers import console, link_in


@pytest.fixture
async def rt(tmp_path: Path, clock: ManualClock, db_url: str) -> AsyncIterator[Runtime]:
    settings = make_settings(tmp_path, database_url=db_url, web_url="https://me.example.org")
    runtime = await build_runtime(settings, clock=clock, model=None)
    yield runtime
    await runtime.close()


def token_of(link: str) -> str:
    return link.rsplit("/", 1)[1]


async def rows(rt: Runtime, table: str) -> list[tuple[object, ...]]:
    async with rt.db.transaction() as conn:
        return [tuple(r) for r in (await conn.execute(text(f"SELECT * FROM {table}"))).all()]


async def test_a_link_from_the_console_works_once_for_its_person(
    rt: Runtime, clock: ManualClock
) -> None:
    access: WebAccess = rt.services.web_access
    said = await console(rt, "/web")
    link = link_in(said)
    assert link.startswith("https://me.example.org/signin/")
    assert "10 minutes" in said
    local = await rt.people.find(Identity("console", "local"))
    assert local is not None

    # Stored as a hash only: the token is nowhere in the database.
    stored = await rows(rt, "web_links")
    assert len(stored) == 1 and token_of(link) not in repr(stored)

    redeemed = await access.redeem(token_of(link))
    assert redeemed is not None
    secret, signed = redeemed
    assert signed.person_id == local.id
    assert token_of(link) != secret and secret not in repr(await rows(rt, "web_sessions"))
    assert csrf_matches(secret, signed.csrf) and not csrf_matches(secret, "0" * 40)
    assert (await access.signed_in(secret)) == signed

    # Used: refused, and the state says why.
    assert await access.redeem(token_of(link)) is None
    state = await access.check_link(token_of(link))
    assert state is not None and state.used and not state.expired


async def test_links_expire_and_a_new_one_replaces_the_unused(
    rt: Runtime, clock: ManualClock
) -> None:
    access: WebAccess = rt.services.web_access
    first = token_of(link_in(await console(rt, "/web")))
    second = token_of(link_in(await console(rt, "/web")))
    assert await access.check_link(first) is None  # replaced by the second
    clock.advance(minutes=10, seconds=1)
    state = await access.check_link(second)
    assert state is not None and state.expired
    assert await access.redeem(second) is None
    assert await access.redeem("f" * 64) is None  # never issued
    assert await access.redeem("../../etc") is None  # not even looked up


async def test_sessions_expire_end_everywhere_and_go_with_the_person(
    rt: Runtime, clock: ManualClock
) -> None:
    access: WebAccess = rt.services.web_access
    secrets = []
    for _ in range(2):
        redeemed = await access.redeem(token_of(link_in(await console(rt, "/web"))))
        assert redeemed is not None
        secrets.append(redeemed[0])
    person_id = (await access.signed_in(secrets[0])).person_id  # type: ignore[union-attr]
    assert len(await access.sessions(person_id)) == 2
    export = await rt.export_person(person_id)
    assert len(export["web"]["sessions"]) == 2
    assert not any(s in repr(export) for s in secrets)

    await access.sign_out(secrets[0])
    assert await access.signed_in(secrets[0]) is None
    assert await access.signed_in(secrets[1]) is not None
    clock.advance(days=rt.settings.web_session_days, seconds=1)
    assert await access.signed_in(secrets[1]) is None  # expired

    clock.advance(minutes=1)
    redeemed = await access.redeem(token_of(link_in(await console(rt, "/web"))))
    assert redeemed is not None
    assert await access.sign_out_everywhere(person_id) >= 1
    assert await access.signed_in(redeemed[0]) is None

    await console(rt, "/web")
    await rt.erase_person(person_id)
    assert await rows(rt, "web_links") == [] and await rows(rt, "web_sessions") == []


async def test_web_is_for_private_chats_only(rt: Runtime) -> None:
    from bot.types import ChannelRef, IncomingMessage

    group = IncomingMessage(
        identity=Identity("telegram", "7"),
        channel=ChannelRef("telegram", "-100", is_private=False),
        text="/web",
    )
    replies = await rt.companion.handle(group)
    assert "signin" not in " ".join(r.text for r in replies)
    assert await rows(rt, "web_links") == []
