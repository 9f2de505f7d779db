"""Screenshots of the personal page, each section at phone and desktop width, and how
long each section takes to serve (median and p95 of repeated loads).

    python bench/web_screens.py [--out DIR] [--docs] [--loads 20]

A fresh data folder gets a sample person (memories with history, goals with eight
weeks of progress, reminders, a conversation); the sign-in link comes from the
console channel's /web reply, as a person gets it; Debian's Chromium (driven by
Playwright) takes the pictures. ``--docs`` also writes the README's pictures to
docs/screens/ (palette PNGs, kept small). Prints the folder it wrote to."""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from PIL import Image

from adapters.web.server import WebServer
from bench.measure import percentile
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.types import Identity
from tests.web_helpers import CHROMIUM, CHROMIUM_ARGS, console, free_port, link_in

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("memories", "goals", "reminders", "conversation", "data")
SIZES = {"phone": (390, 844), "desktop": (1280, 860)}
DOCS = {("phone", s) for s in SECTIONS} | {("desktop", "goals"), ("desktop", "memories")}


async def sample_person(runtime: Runtime) -> int:
    """Sam: a few weeks of life with the companion."""
    await console(runtime, "/help")
    person = await runtime.people.find(Identity("console", "local"))
    assert person is not None
    pid = person.id
    await runtime.people.update(pid, display_name="Sam", timezone="Europe/Lisbon")
    now = runtime.clock.now()
    turns = runtime.turns

    async def said(days_ago: float, text: str, role: str = "user") -> int:
        at = now - timedelta(days=days_ago)
        return await turns.add(pid, role, text, at=at, platform="telegram")

    t1 = await said(40, "My sister Ana just moved to Lisbon, I'm so happy for her")
    await said(40, "That's lovely! Will you visit her soon?", "assistant")
    t2 = await said(33, "I started running again, three times a week is the plan")
    await said(33, "Great plan. Which days suit you best?", "assistant")
    t3 = await said(20, "I'm allergic to peanuts, by the way")
    t4 = await said(9, "Work at the bakery is busy, I start at 6 now")
    t5 = await said(2, "Ana is moving again, to Porto this time!")
    t6 = await said(1, "Coffee? Strong, no sugar, always")
    await said(2, "Porto! That's closer to you. How do you feel about it?", "assistant")
    await said(0.1, "I ran 5k this morning, felt great")
    await said(0.1, "5k! That's your longest run since you started again.", "assistant")

    memory = runtime.services.memory

    async def remember(text: str, turn: int, days_ago: float, kind: str = "fact") -> str:
        return await memory.remember(
            pid,
            text,
            kind=kind,
            source_turn_ids=[turn],
            platform="telegram",
            origin="extracted",
            said_at=now - timedelta(days=days_ago),
        )

    ana = await remember("Sam's sister Ana lives in Lisbon", t1, 40, "person")
    await memory.update(
        pid, ana, "Sam's sister Ana lives in Porto", why="she moved again", source_turn_ids=[t5]
    )
    await remember("Sam is allergic to peanuts", t3, 20)
    await remember("Sam runs three times a week", t2, 33, "plan")
    job = await remember("Sam starts work at the bakery at 7", t4, 30)
    await memory.retire(pid, job, why="now starts at 6")
    await remember("Sam starts work at the bakery at 6", t4, 9)
    await remember("Sam likes strong coffee, no sugar", t6, 1, "preference")

    goals = runtime.services.goals
    run = await goals.add(pid, "Run 3 times a week", why="to feel fit again")
    read = await goals.add(pid, "Read 20 pages a day")
    call = await goals.add(pid, "Call grandma every week")
    for week in range(8):
        for day in (0, 2, 4)[: 1 + (week % 3)]:
            await goals.log(pid, run, at=now - timedelta(weeks=week, days=day, hours=2))
        for day in range(0, 7, 2 if week % 2 else 1):
            pages = 10 + (week * 7 + day) % 25
            await goals.log(pid, read, amount=pages, at=now - timedelta(weeks=week, days=day))
        await goals.log(pid, call, at=now - timedelta(weeks=week, days=3))
    store = runtime.services.checkins.store
    for hours, text in ((20, "call the dentist"), (50, "water the plants"), (170, "pay rent")):
        await store.add_reminder(pid, text, now + timedelta(hours=hours), now=now)
    await runtime.services.checkins.reschedule(pid)  # the next check-in, as at sign-up
    return pid


async def shoot(url: str, link: str, out: Path, docs: Path | None) -> list[Path]:
    from playwright.async_api import async_playwright

    written: list[Path] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size, (width, height) in SIZES.items():
            context = await browser.new_context(viewport={"width": width, "height": height})
            page = await context.new_page()
            if size == "phone":
                await page.goto(link)
                async with page.expect_navigation():
                    await page.click("#signin")
                cookies = await context.cookies()
            else:
                await context.add_cookies(cookies)  # type: ignore[arg-type]
            for section in SECTIONS:
                await page.goto(f"{url}/{section}")
                path = out / f"{size}-{section}.png"
                await page.screenshot(path=str(path))
                written.append(path)
                if docs is not None and (size, section) in DOCS:
                    small = Image.open(path).convert("RGB").quantize(colors=128)
                    small.save(docs / path.name, optimize=True)
            await context.close()
        await browser.close()
    return written


async def timings(runtime: Runtime, pid: int, url: str, cookie: dict[str, str], loads: int) -> None:
    jar = aiohttp.CookieJar(unsafe=True)
    jar.update_cookies(cookie)
    goals = runtime.services.goals
    run = (await goals.store.all(pid))[0]
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        paths = [f"/{s}" for s in SECTIONS] + ["/memories?q=sister", "/goals/1/chart.png"]
        paths.append("/goals/1/chart.png (new)")  # progress logged before each: drawn anew
        print(f"{'page':28} {'median ms':>10} {'p95 ms':>8}  ({loads} loads each)")
        for label in paths:
            path = label.split()[0]
            times = []
            for _ in range(loads):
                if label.endswith("(new)"):
                    await goals.log(pid, run)
                start = time.perf_counter()
                async with http.get(url + path) as r:
                    await r.read()
                    assert r.status == 200, (path, r.status)
                times.append((time.perf_counter() - start) * 1000)
            med, p95 = statistics.median(times), percentile(times, 95)
            print(f"{label:28} {med:10.1f} {p95:8.1f}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="default: a new temp folder")
    parser.add_argument("--docs", action="store_true", help="also write docs/screens/")
    parser.add_argument("--loads", type=int, default=20)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="companion-screens-"))
    out.mkdir(parents=True, exist_ok=True)
    docs = ROOT / "docs" / "screens" if args.docs else None
    if docs is not None:
        docs.mkdir(parents=True, exist_ok=True)
    model_dir = os.environ.get("COMPANION_EMBEDDING_MODEL_DIR")
    if model_dir is None:
        from tests.memory.helpers import local_minilm_dir

        model_dir = str(local_minilm_dir())
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(data),
            scheduler_enabled=False,
            embedding_model_dir=Path(model_dir),
            web_url=f"http://127.0.0.1:{port}",
            web_port=port,
        )
        runtime = await build_runtime(settings, model=None)
        server = WebServer(runtime)
        await server.start()
        try:
            pid = await sample_person(runtime)
            link = link_in(await console(runtime, "/web"))
            url = f"http://127.0.0.1:{port}"
            written = await shoot(url, link, out, docs)
            access = runtime.services.web_access
            redeemed = await access.redeem(link_in(await console(runtime, "/web")).split("/")[-1])
            assert redeemed is not None
            await timings(runtime, pid, url, {"companion": redeemed[0]}, args.loads)
        finally:
            await server.stop()
            await runtime.close()
    also = f" (and README pictures in {docs})" if docs else ""
    print(f"{len(written)} screenshots in {out}{also}")
    print(f"at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; the machine may be shared")


if __name__ == "__main__":
    asyncio.run(main())
