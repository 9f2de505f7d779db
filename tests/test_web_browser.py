"""The personal page in a real browser: Debian's Chromium driven by Playwright (its
own browser download is unreachable here). Sign-in links come from chat replies
(the console channel; the fake Telegram server for a second person), and every
change made on the page is checked where the person would see it in the chat.

One browser serves the whole module; each test opens its own contexts (cookie jars).
Under CI=true a missing browser fails the run instead of skipping."""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web

from adapters.telegram.adapter import TelegramChannel
from adapters.web.security import CSP
from bot.types import Identity
from tests.fakes.clock import ManualClock
from tests.fakes.telegram_server import FakeTelegram
from tests.test_telegram import FAST, TOKEN
from tests.web_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Served,
    console,
    free_port,
    link_in,
    serving,
)

PHONE = {"width": 390, "height": 844}

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]


def _missing(why: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI=true but {why}: .ci/run installs it")
    pytest.skip(why)


def read(path: Any) -> str:
    return Path(path).read_text()


def have_chromium() -> bool:
    return Path(CHROMIUM).exists()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def chromium() -> AsyncIterator[Any]:
    if not have_chromium():
        _missing(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


@dataclass
class Tab:
    """A browser context (its own cookies) and its page, watching every answer."""

    context: Any
    page: Any
    answers: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    async def goto(self, url: str) -> int:
        response = await self.page.goto(url)
        return int(response.status)

    async def text(self) -> str:
        return str(await self.page.inner_text("main"))

    async def flash(self) -> str:
        return str(await self.page.inner_text(".flash"))

    async def submit(self, target: Any) -> None:
        """Click a form's button (a selector or a locator) and wait for the next page."""
        button = self.page.locator(target) if isinstance(target, str) else target
        async with self.page.expect_navigation():
            await button.click()

    def card(self, words: str) -> Any:
        return self.page.locator("article.card", has_text=words)

    def check_headers(self, origin: str) -> None:
        ours = [(u, s, h) for u, s, h in self.answers if u.startswith(origin)]
        assert ours, "no answers recorded"
        for url, _status, headers in ours:
            assert headers.get("content-security-policy") == CSP, url
            assert headers.get("x-content-type-options") == "nosniff", url
            assert headers.get("referrer-policy") == "no-referrer", url
        # A page that broke its own policy (an inline style, a script) shows up here.
        assert self.console_errors == []


async def open_tab(browser: Any, **options: Any) -> Tab:
    context = await browser.new_context(viewport=PHONE, accept_downloads=True, **options)
    tab = Tab(context, await context.new_page())

    def answered(response: Any) -> None:
        tab.answers.append((response.url, response.status, response.headers))

    def logged(message: Any) -> None:
        if message.type == "error" and "status of 4" not in message.text:
            tab.console_errors.append(message.text)

    tab.page.on("response", answered)
    tab.page.on("console", logged)
    return tab


async def sign_in(tab: Tab, link: str) -> None:
    assert await tab.goto(link) == 200
    await tab.submit("#signin")
    await tab.page.wait_for_url(re.compile(r"/$"))
    assert "Hello" in await tab.text()


async def chart_bytes(tab: Tab, goal_id: int) -> tuple[bytes, str]:
    image = tab.page.locator(f"#g{goal_id} img.chart")
    src, alt = await image.get_attribute("src"), await image.get_attribute("alt")
    response = await tab.context.request.get(tab.page.url.split("/goals")[0] + src)
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    return await response.body(), str(alt)


# --------------------------------------------------------------------------- journeys


async def test_a_persons_journey_through_their_page(
    chromium: Any, tmp_path: Path, clock: ManualClock
) -> None:
    async with serving(tmp_path, clock) as site:
        rt = site.runtime
        memory = rt.services.memory
        said = await console(
            rt, "/goals add Run 3 times a week", "/remind tomorrow 9am call the bank", "/web"
        )
        await console(rt, "I ran 5k this morning")
        pid = (await rt.people.find(Identity("console", "local"))).id  # type: ignore[union-attr]
        await memory.remember(pid, "My sister Ana lives in Lisbon")
        await memory.remember(pid, "I work at the bakery on Rua Nova")
        await memory.remember(pid, "I like <b>strong</b> coffee <script>alert('x')</script>")
        tab = await open_tab(chromium)
        await sign_in(tab, link_in(said))

        # Memories: markup is text; search; edit, and /memories shows the new wording.
        await tab.goto(f"{site.url}/memories")
        assert "<script>alert('x')</script>" in await tab.text()
        assert await tab.page.locator("script").count() == 0
        assert await tab.page.locator("main b").count() == 0
        await tab.page.fill("#q", "sister")
        await tab.submit("form.search button")
        assert "My sister Ana" in await tab.text() and "bakery" not in await tab.text()
        await tab.goto(f"{site.url}/memories")
        ana = tab.card("My sister Ana")
        await ana.locator("summary", has_text="Edit").click()
        await ana.locator("textarea").fill("My sister Ana moved to Porto")
        await tab.submit(ana.locator("button", has_text="Save"))
        assert "Updated: My sister Ana moved to Porto" in await tab.flash()
        chat = await console(rt, "/memories")
        assert "My sister Ana moved to Porto" in chat and "Lisbon" not in chat
        await tab.card("moved to Porto").locator("summary", has_text="Earlier").click()
        assert "Lisbon" in await tab.card("moved to Porto").inner_text()

        # Forget one.
        await tab.submit(tab.card("bakery").locator("button", has_text="Forget"))
        assert "Forgotten: I work at the bakery" in await tab.flash()
        assert "bakery" not in await console(rt, "/memories")

        # Goals: log progress and the chart changes; pause; finish.
        goal = (await rt.services.goals.store.all(pid))[0]
        await tab.goto(f"{site.url}/goals")
        before, alt = await chart_bytes(tab, goal.id)
        assert "0, 0, 0, 0, 0, 0, 0, 0 times, target 3 a week" in alt
        card = tab.page.locator(f"#g{goal.id}")
        await card.locator("input[name=note]").fill("easy 5k")
        await tab.submit(card.locator("button", has_text="Log progress"))
        assert "Logged: Run 3 times a week" in await tab.flash()
        after, alt = await chart_bytes(tab, goal.id)
        assert after != before and after.startswith(b"\x89PNG")
        assert "0, 0, 0, 0, 0, 0, 0, 1 times" in alt
        assert await tab.page.locator(f"#g{goal.id} .calendar td.full").count() == 1
        assert "1/3 this week" in await console(rt, "/goals")
        await tab.submit(card.locator("button", has_text="Pause"))
        assert "paused" in await console(rt, "/goals")
        await tab.submit(tab.page.locator(f"#g{goal.id} button", has_text="Finish"))
        assert "Finished: Run 3 times a week" in await tab.flash()
        assert "done" in await console(rt, "/goals all")

        # Reminders and check-ins.
        await tab.goto(f"{site.url}/reminders")
        bank = tab.card("call the bank")
        await bank.locator("select").select_option("1d")
        await tab.submit(bank.locator("button", has_text="Snooze"))
        assert "Snoozed until" in await tab.flash()
        assert "Wed 06 May 09:00" in await console(rt, "/reminders")  # a day later
        await tab.submit(tab.card("call the bank").locator("button", has_text="Cancel"))
        assert "no upcoming reminders" in await console(rt, "/reminders")
        await tab.page.fill("#quiet", "23:00-07:00")
        await tab.page.fill("#timezone", "Lisbon")
        await tab.submit("form[action='/checkins'] button")
        assert "23:00-07:00" in await tab.flash()
        settings = await console(rt, "/settings")
        assert "23:00-07:00" in settings and "Lisbon" in settings
        await tab.submit("form[action='/checkins/pause'] button")
        assert "paused until" in (await tab.flash()).lower()

        # Conversation.
        await tab.goto(f"{site.url}/conversation?q=5k")
        assert "I ran 5k this morning" in await tab.text()

        # Your data: the export, then erasure after confirming.
        await tab.goto(f"{site.url}/data")
        async with tab.page.expect_download() as download:
            await tab.page.click("text=Download everything")
        exported = json.loads(read(await (await download.value).path()))
        assert any("Porto" in m["text"] for m in exported["memories"])
        await tab.submit("text=Erase everything…")
        await tab.page.check("input[name=confirm]")
        await tab.submit("#erase")
        assert "Everything is erased" in await tab.text()
        assert await rt.people.get(pid) is None
        assert await tab.goto(f"{site.url}/memories") == 401
        assert "I don't remember anything about you yet" in await console(rt, "/memories")
        tab.check_headers(site.url)
        await tab.context.close()


async def test_links_work_once_in_time_and_sessions_stay_apart(
    chromium: Any, tmp_path: Path, clock: ManualClock
) -> None:
    tg = await FakeTelegram(TOKEN).start()
    overrides = {"telegram_token": TOKEN, "telegram_api_url": tg.base_url}
    async with serving(tmp_path, clock, **overrides) as site:
        rt = site.runtime
        channel = TelegramChannel(rt, tuning=FAST)
        rt.outbox.register(channel)
        polling = asyncio.create_task(channel.start(rt.companion.handle))
        try:
            await tg.wait_for(lambda: tg.sent("getUpdates"))
            await check_links_and_isolation(chromium, site, tg, clock)
        finally:
            await channel.stop()
            await asyncio.wait_for(polling, 10)
            await tg.stop()


async def check_links_and_isolation(
    chromium: Any, site: Served, tg: FakeTelegram, clock: ManualClock
) -> None:
    rt = site.runtime
    memory = rt.services.memory
    link_a = link_in(await console(rt, "/web"))
    a = (await rt.people.find(Identity("console", "local"))).id  # type: ignore[union-attr]
    mine = await memory.remember(a, "My cat is called Miso")

    # Bea asks on Telegram.
    tg.push_text(555, "/web")
    await tg.wait_for(lambda: any("/signin/" in t for t in tg.texts(555)))
    link_b = link_in(next(t for t in tg.texts(555) if "/signin/" in t))
    b = (await rt.people.find(Identity("telegram", "555"))).id  # type: ignore[union-attr]
    await memory.remember(b, "I play the cello")

    tab_a, tab_b, stranger = [await open_tab(chromium) for _ in range(3)]
    await sign_in(tab_a, link_a)
    await sign_in(tab_b, link_b)

    # A used link is refused, in another browser too.
    assert await stranger.goto(link_a) == 403
    assert "This link was used already" in await stranger.text()
    # An expired one as well.
    late = link_in(await console(rt, "/web"))
    clock.advance(minutes=10, seconds=1)
    assert await stranger.goto(late) == 403
    assert "more than ten minutes old" in await stranger.text()
    assert await stranger.goto(f"{site.url}/memories") == 401

    # Each sees their own memories only.
    await tab_a.goto(f"{site.url}/memories")
    await tab_b.goto(f"{site.url}/memories")
    assert "Miso" in await tab_a.text() and "cello" not in await tab_a.text()
    assert "cello" in await tab_b.text() and "Miso" not in await tab_b.text()
    assert await tab_b.goto(f"{site.url}/memories?q=cat") == 200
    assert "Miso" not in await tab_b.text()

    # A form post without the CSRF token is refused, with it (same session) it works.
    forget = f"{site.url}/memories/{mine}/forget"
    refused = await tab_a.context.request.post(forget, headers={"Origin": site.url}, form={})
    assert refused.status == 403 and "expired" in await refused.text()
    assert refused.headers["content-security-policy"] == CSP
    # Bea's own token does not open Alex's memory either.
    csrf_b = await tab_b.page.locator("input[name=csrf]").first.get_attribute("value")
    await tab_b.context.request.post(forget, headers={"Origin": site.url}, form={"csrf": csrf_b})
    assert await memory.get(a, mine) is not None

    # Another site's form, submitted from Alex's browser: no cookie, no change.
    evil = await evil_site(forget)
    try:
        await tab_a.goto(evil.url)
        await tab_a.submit("button")
        assert await memory.get(a, mine) is not None
    finally:
        await evil.runner.cleanup()
    # Sign out everywhere ends Alex's sessions, not Bea's.
    await tab_a.goto(f"{site.url}/data")
    await tab_a.submit("main >> text=Sign out everywhere")
    assert "signed out everywhere" in await tab_a.text()
    assert await tab_a.goto(f"{site.url}/memories") == 401
    assert await tab_b.goto(f"{site.url}/memories") == 200
    for tab in (tab_a, tab_b, stranger):
        tab.check_headers(site.url)
        await tab.context.close()


@dataclass
class Evil:
    url: str
    runner: web.AppRunner


async def evil_site(target: str) -> Evil:
    """A page on another origin (localhost, not 127.0.0.1) posting to ours."""
    page = (
        f'<form method="post" action="{target}"><input type="hidden" name="csrf" '
        'value="guess"><button>Win a prize</button></form>'
    )

    async def index(request: web.Request) -> web.Response:
        return web.Response(text=page, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", index)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return Evil(f"http://localhost:{port}/", runner)


async def test_the_page_works_without_a_network_and_reads_on_a_phone(
    chromium: Any, tmp_path: Path, clock: ManualClock
) -> None:
    """Nothing is fetched from another site, and nothing is wider than a phone."""
    async with serving(tmp_path, clock) as site:
        said = await console(site.runtime, "/goals add Read daily", "/goals log 1 20", "/web")
        tab = await open_tab(chromium)
        await sign_in(tab, link_in(said))
        for path in ("/", "/memories", "/goals", "/reminders", "/conversation", "/data"):
            assert await tab.goto(site.url + path) == 200
            width = await tab.page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], path
        assert all(u.startswith(site.url) for u, _s, _h in tab.answers)
        tab.check_headers(site.url)
        await tab.context.close()
