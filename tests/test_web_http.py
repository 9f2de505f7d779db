"""The personal page over HTTP (aiohttp's client; the browser journeys are in
test_web_browser.py): security headers on every answer, cookies, the CSRF token and
same-origin check on every form, one person never reaching another's data, sign-in
rate limits, and `companion web` / `companion run` serving it."""

from __future__ import annotations

import asyncio
import io
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from adapters.web.security import CSP
from bot.runtime import Runtime
from bot.types import ChannelRef, Identity, IncomingMessage
from tests.fakes.clock import ManualClock
from tests.web_helpers import Served, console, free_port, link_in, serving

ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


@pytest.fixture
async def site(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Served]:
    async with serving(tmp_path, clock) as served:
        yield served


def browser() -> aiohttp.ClientSession:
    # unsafe: keep cookies set by an IP address (127.0.0.1), as browsers do
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def sign_in(http: aiohttp.ClientSession, site: Served, link: str) -> str:
    """Follow a sign-in link as the page's own form does; returns the CSRF token."""
    async with http.get(link) as r:
        assert r.status == 200, await r.text()
    token = link.rsplit("/", 1)[1]
    async with http.post(
        f"{site.url}/signin", data={"token": token}, headers={"Origin": site.url}
    ) as r:
        assert r.status == 200 and r.url.path == "/"
        found = CSRF.search(await r.text())
    assert found
    return found.group(1)


async def someone_else(rt: Runtime, text: str) -> str:
    """A Telegram person's /web reply (through the engine)."""
    message = IncomingMessage(
        identity=Identity("telegram", "4242"), channel=ChannelRef("telegram", "4242"), text=text
    )
    return " ".join(r.text for r in await rt.companion.handle(message))


async def test_every_answer_carries_the_security_headers(site: Served) -> None:
    rt = site.runtime
    said = await console(rt, "/goals add Walk daily", "/web")
    async with browser() as http:
        async with http.get(f"{site.url}/memories") as r:  # not signed in yet
            assert r.status == 401 and r.headers["Content-Security-Policy"] == CSP
        await sign_in(http, site, link_in(said))
        goal = (await rt.services.goals.store.all(1))[0]
        paths = {
            "/": 200,
            "/memories": 200,
            "/memories?q=walk": 200,
            "/memories/earlier": 200,
            "/goals": 200,
            f"/goals/{goal.id}/chart.png": 200,
            "/goals/999/chart.png": 404,
            "/reminders": 200,
            "/conversation?q=%25": 200,
            "/data": 200,
            "/data/erase": 200,
            "/data/export.json": 200,
            "/static/style.css": 200,
            "/no/such/page": 404,
            "/signin/" + "0" * 64: 403,
        }
        for path, status in paths.items():
            async with http.get(site.url + path) as r:
                assert r.status == status, path
                assert r.headers["Content-Security-Policy"] == CSP, path
                assert "frame-ancestors 'none'" in CSP and "script-src 'none'" in CSP
                assert r.headers["X-Content-Type-Options"] == "nosniff"
                assert r.headers["Referrer-Policy"] == "no-referrer"
                assert r.headers["X-Frame-Options"] == "DENY"
                assert "aiohttp" not in r.headers.get("Server", "")
                if path != "/static/style.css":
                    assert r.headers["Cache-Control"] == "no-store", path
                body = await r.read()
                assert b"<script" not in body and b"http://" not in body.split(b"<main>")[0]
        async with http.post(f"{site.url}/memories") as r:
            assert r.status == 405 and r.headers["Content-Security-Policy"] == CSP
        async with http.get(f"{site.url}/data/export.json") as r:
            assert r.headers["Content-Disposition"].startswith("attachment;")
            assert (await r.json())["goals"][0]["title"] == "Walk daily"


async def test_cookies_are_http_only_strict_and_secure_over_https(
    tmp_path: Path, clock: ManualClock
) -> None:
    async with serving(tmp_path / "a", clock, web_url="https://me.example.org") as site:
        link = link_in(await console(site.runtime, "/web"))
        assert link.startswith("https://me.example.org/signin/")
        token = link.rsplit("/", 1)[1]
        async with aiohttp.ClientSession() as http:
            async with http.post(
                f"{site.url}/signin",
                data={"token": token},
                headers={"Origin": "https://me.example.org"},
                allow_redirects=False,
            ) as r:
                assert r.status == 303
                cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("__Host-companion=")
    for part in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age="):
        assert part in cookie
    assert "Domain" not in cookie and token not in cookie


async def test_forms_need_the_csrf_token_and_our_own_origin(site: Served) -> None:
    rt = site.runtime
    said = await console(rt, "/web")
    memory = rt.services.memory
    memory_id = await memory.remember(1, "I have a cat called Miso")
    forget = f"{site.url}/memories/{memory_id}/forget"
    async with browser() as http:
        csrf = await sign_in(http, site, link_in(said))
        same = {"Origin": site.url}
        attempts = [
            ({}, same),  # no token
            ({"csrf": "0" * 40}, same),  # a wrong one
            ({"csrf": csrf}, {"Origin": "https://evil.example"}),
            ({"csrf": csrf}, {"Origin": "null", "Sec-Fetch-Site": "cross-site"}),
            ({"csrf": csrf}, {}),  # no origin at all (not a browser form)
        ]
        for data, headers in attempts:
            async with http.post(forget, data=data, headers=headers) as r:
                assert r.status == 403, (data, headers)
                assert r.headers["Content-Security-Policy"] == CSP
        assert await memory.get(1, memory_id) is not None
        # What Chromium sends under Referrer-Policy: no-referrer: "null", same-origin.
        headers = {"Origin": "null", "Sec-Fetch-Site": "same-origin"}
        async with http.post(forget, data={"csrf": csrf}, headers=headers) as r:
            assert r.status == 200 and "Forgotten: I have a cat called Miso" in await r.text()
    assert await memory.get(1, memory_id) is None


async def test_one_persons_session_never_reaches_anothers_data(site: Served) -> None:
    rt = site.runtime
    lines = ("/goals add Swim weekly", "/remind tomorrow 9am dentist", "my dentist is Dr Reis")
    said = await console(rt, *lines, "/web")
    memory, goals = rt.services.memory, rt.services.goals
    mine = await memory.remember(1, "My brother lives in Porto")
    swim = (await goals.store.all(1))[0]
    await goals.log(1, swim)
    [reminder] = await rt.services.checkins.store.upcoming(1)
    other_link = link_in(await someone_else(rt, "/web"))
    async with browser() as a, browser() as b:
        await sign_in(a, site, link_in(said))
        csrf_b = await sign_in(b, site, other_link)
        for path in ("/", "/memories", "/memories?q=brother", "/goals", "/reminders"):
            async with b.get(site.url + path) as r:
                page = await r.text()
                assert "Porto" not in page and "Swim" not in page and "dentist" not in page
        async with a.get(f"{site.url}/conversation?q=dentist") as r:
            assert "my dentist is Dr Reis" in await r.text()
        async with b.get(f"{site.url}/conversation?q=dentist") as r:
            page = await r.text()
            assert "Dr Reis" not in page and "Nothing we said has those words" in page
        async with b.get(f"{site.url}/goals/{swim.id}/chart.png") as r:
            assert r.status == 404
        headers = {"Origin": site.url}
        actions = {
            f"/memories/{mine}/forget": {},
            f"/memories/{mine}/edit": {"text": "hijacked"},
            f"/goals/{swim.id}/log": {"amount": "5"},
            f"/goals/{swim.id}/status": {"status": "done"},
            f"/reminders/{reminder.id}/cancel": {},
        }
        for path, data in actions.items():
            async with b.post(site.url + path, data={**data, "csrf": csrf_b}, headers=headers) as r:
                assert r.status == 200
                assert "no longer" in await r.text() or "already gone" in await r.text()
        async with a.get(f"{site.url}/memories") as r:
            assert "My brother lives in Porto" in await r.text()
    assert (await memory.get(1, mine)).text == "My brother lives in Porto"  # type: ignore[union-attr]
    assert len((await goals.store.progress(1, [swim.id]))[swim.id]) == 1
    assert (await goals.store.get(1, swim.id)).status == "active"  # type: ignore[union-attr]
    assert (await rt.services.checkins.store.reminder(1, reminder.id)).status == "active"


async def test_sign_in_attempts_are_rate_limited(site: Served) -> None:
    link = link_in(await console(site.runtime, "/web"))
    async with aiohttp.ClientSession() as http:
        for n in range(10):
            async with http.get(f"{site.url}/signin/{n:064x}") as r:
                assert r.status == 403
        async with http.get(link) as r:  # a good link, from an address that kept failing
            assert r.status == 429 and "Too many tries" in await r.text()


async def wait_for_port(port: int, proc: asyncio.subprocess.Process) -> None:
    for _ in range(300):
        if proc.returncode is not None:
            raise AssertionError(f"exited early: {await proc.stderr.read()!r}")  # type: ignore[union-attr]
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise AssertionError("the page never listened")


@pytest.mark.slow
async def test_companion_web_serves_the_page_on_its_own(tmp_path: Path) -> None:
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "COMPANION_EMBEDDING_MODEL_DIR": os.environ["COMPANION_EMBEDDING_MODEL_DIR"],
        "COMPANION_DATA_DIR": str(tmp_path / "data"),
        "COMPANION_SCHEDULER_ENABLED": "false",
        "COMPANION_WEB_PORT": str(port),
    }
    pipe = asyncio.subprocess.PIPE
    web = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters", "web", stdout=pipe, stderr=pipe, env=env, cwd=tmp_path
    )
    await wait_for_port(port, web)
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/") as r:
        assert r.status == 200 and "send <code>/web</code>" in await r.text()
    web.send_signal(signal.SIGTERM)
    out, _err = await asyncio.wait_for(web.communicate(), 30)
    assert web.returncode == 0 and f"http://127.0.0.1:{port}" in out.decode()


async def test_companion_run_serves_the_page_when_its_url_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """adapters/cli.py's run, in this process: with no chat platform configured it
    talks on the console, here through a pipe the test writes to."""
    from adapters import cli
    from adapters.console import ConsoleChannel
    from tests.conftest import make_settings

    port = free_port()
    settings = make_settings(tmp_path, web_url=f"http://127.0.0.1:{port}", web_port=port)
    read_fd, write_fd = os.pipe()
    typed, printed = os.fdopen(read_fd), io.StringIO()
    import adapters.console

    monkeypatch.setattr(
        adapters.console,
        "ConsoleChannel",
        lambda prompt, files_dir=None, runtime=None: ConsoleChannel(typed, printed),
    )
    running = asyncio.create_task(cli._run(settings))
    try:
        for _ in range(300):
            if running.done():
                break
            try:
                _reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            except OSError:
                await asyncio.sleep(0.05)
        os.write(write_fd, b"/web\n")
        for _ in range(200):
            if "/signin/" in printed.getvalue():
                break
            await asyncio.sleep(0.05)
        async with aiohttp.ClientSession() as http, http.get(link_in(printed.getvalue())) as r:
            assert r.status == 200 and 'name="token"' in await r.text()
    finally:
        os.close(write_fd)  # the end of input: run finishes and stops the page
        assert await asyncio.wait_for(running, 30) == 0
        typed.close()
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", port)


async def test_a_failure_is_a_kind_page_and_the_link_stays_out_of_the_log(
    site: Served, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    link = link_in(await console(site.runtime, "/web"))
    access = site.runtime.services.web_access

    async def broken(token: str) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(access, "check_link", broken)
    async with aiohttp.ClientSession() as http, http.get(link) as r:
        page = await r.text()
        assert r.status == 500 and "Something went wrong" in page
        assert r.headers["Content-Security-Policy"] == CSP and "database" not in page
    assert "the database went away" in caplog.text  # logged, with its traceback
    assert link.rsplit("/", 1)[1] not in caplog.text
