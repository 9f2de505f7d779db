"""The page's sections: Memories, Goals, Reminders and check-ins, Conversation and
Your data. Each handler reads or acts through ``site.page`` (bot/personal_page.py),
always for the signed-in person; forms pass ``site.form`` (origin, session, CSRF)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from adapters.web.app import Site, refuse, safe_path
from bot.personal_page import PageError

MAX_QUERY = 200


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


def _field(data: Any, name: str, limit: int = 2000) -> str:
    value = data.get(name)
    return value[:limit] if isinstance(value, str) else ""


def add_sections(app: web.Application, site: Site) -> None:
    page = site.page

    # ------------------------------------------------------------------ overview

    async def home(request: web.Request) -> web.Response:
        visitor = await site.visitor(request)
        if visitor is None:
            return site.show(request, None, "welcome.html")
        overview = await page.overview(visitor.person)
        overview.sessions = len(await site.access.sessions(visitor.id))
        return site.show(request, visitor, "home.html", overview=overview)

    # ------------------------------------------------------------------ memories

    async def memories(request: web.Request) -> web.Response:
        visitor = await site.need(request)
        query = request.query.get("q", "")[:MAX_QUERY]
        number = _int(request.query.get("page")) or 1
        listing = await page.memories(visitor.id, query, number)
        return site.show(
            request,
            visitor,
            "memories.html",
            active="memories",
            listing=listing,
            here=request.path_qs,
        )

    async def earlier(request: web.Request) -> web.Response:
        visitor = await site.need(request)
        cards = await page.retired(visitor.id)
        return site.show(request, visitor, "earlier.html", active="memories", cards=cards)

    async def edit_memory(request: web.Request) -> web.Response:
        visitor, data = await site.form(request)
        memory_id = request.match_info["id"]
        back = safe_path(data.get("back"), "/memories")
        return await site.act(
            back, lambda: page.edit_memory(visitor.id, memory_id, _field(data, "text"))
        )

    async def forget_memory(request: web.Request) -> web.Response:
        visitor, data = await site.form(request)
        memory_id = request.match_info["id"]
        back = safe_path(data.get("back"), "/memories")
        return await site.act(back, lambda: page.forget_memory(visitor.id, memory_id))

    # ------------------------------------------------------------------ goals

    async def goals(request: web.Request) -> web.Response:
        visitor = await site.need(request)
        cards = await page.goal_cards(visitor.id)
        closed = await page.goal_cards(visitor.id, closed=True)
        return site.show(request, visitor, "goals.html", active="goals", cards=cards, closed=closed)

    async def goal_chart(request: web.Request) -> web.Response:
        visitor = await site.need(request)
        try:
            png, _words = await page.goal_chart(visitor.id, int(request.match_info["id"]))
        except PageError:
            raise refuse(404, "Not here", "That goal is no longer here.") from None
        return web.Response(body=png, content_type="image/png")

    async def log_progress(request: web.Request) -> web.Response:
        visitor, data = await site.form(request)
        goal_id = int(request.match_info["id"])
        return await site.act(
            f"/goals#g{goal_id}",
            lambda: page.log_progress(
                visitor.id, goal_id, _field(data, "amount", 40), _field(data, "note", 500)
            ),
        )

    async def goal_status(request: web.Request) -> web.Response:
        visitor, data = await site.form(request)
        goal_id = int(request.match_info["id"])
        return await site.act(
            f"/goals#g{goal_id}",
            lambda: page.set_goal_status(visitor.id, goal_id, _field(data, "status", 20)),
        )

    # ------------------------------------------------------------------ reminders

    async def reminders(request: web.Request) -> web.Response:
        visitor = await site.need(request)
        return site.show(
            request,
            visitor,
            "reminders.html",
            active="reminders",
            reminders=await page.reminders(visitor.id),
            checkins=await page.checkins(visitor.person),
        )

    async def cancel_reminder(request: web.Request) -> web.Response:
        visitor, _data = await site.form(request)
        reminder_id = int(request.match_info["id"])
        return await site.act("/reminders", lambda: page.cancel_reminder(visitor.id, reminder_id))

    async def snooze_reminder(request: web.Request) -> web.Response:
        visitor, data = await site.form(request)
        reminder_id = int(request.match_info["id"])
        by = _field(data, "by", 10)
        return await site.act(
            "/reminders", lambda: page.snooze_reminder(visitor.id, reminder_id, by)
        )

    async def save_checkins(request: web.Request) -> web.Response:
        visitor, data = await site.form(request)
        return await site.act(
            "/reminders#checkins",
            lambda: page.save_checkins(
                visitor.person,
                enabled=data.get("enabled") == "on",
                times=_field(data, "times", 200),
                quiet=_field(data, "quiet", 40),
                timezone=_field(data, "timezone", 80),
            ),
        )

    async def save_review(request: web.Request) -> web.Response:
        visitor, data = await site.form(request)
        return await site.act(
            "/reminders#review",
            lambda: page.save_review(
                visitor.person,
                enabled=data.get("enabled") == "on",
                day=_field(data, "day", 20),
                at=_field(data, "time", 20),
            ),
        )

    async def pause_checkins(request: web.Request) -> web.Response:
        visitor, data = await site.form(request)
        how_long = _field(data, "for", 40)
        return await site.act(
            "/reminders#checkins", lambda: page.pause_checkins(visitor.person, how_long)
        )

    # ------------------------------------------------------------------ conversation

    async def conversation(request: web.Request) -> web.Response:
        visitor = await site.need(request)
        words = request.query.get("q", "")[:MAX_QUERY]
        before = _int(request.query.get("before"))
        turns = await page.conversation(visitor.id, words, before)
        return site.show(
            request,
            visitor,
            "conversation.html",
            active="conversation",
            turns=turns,
            words=words,
            older=turns[-1].id if len(turns) == 50 else None,
        )

    # ------------------------------------------------------------------ your data

    async def data(request: web.Request) -> web.Response:
        visitor = await site.need(request)
        sessions = await site.access.sessions(visitor.id)
        return site.show(request, visitor, "data.html", active="data", sessions=len(sessions))

    async def export(request: web.Request) -> web.Response:
        visitor = await site.need(request)
        body, name = await page.export(visitor.id)
        return web.Response(
            body=body,
            content_type="application/json",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    async def erase_confirm(request: web.Request) -> web.Response:
        visitor = await site.need(request)
        return site.show(request, visitor, "erase.html", active="data")

    async def erase(request: web.Request) -> web.Response:
        visitor, form = await site.form(request)
        if form.get("confirm") != "yes":
            unticked = "Tick the box to confirm, or go back: nothing was erased."
            return site.after("/data/erase", [unticked], ok=False)
        await page.erase(visitor.id)
        return site.erased()

    router = app.router
    router.add_get("/", home)
    router.add_get("/memories", memories)
    router.add_get("/memories/earlier", earlier)
    router.add_post(r"/memories/{id:\d{1,12}}/edit", edit_memory)
    router.add_post(r"/memories/{id:\d{1,12}}/forget", forget_memory)
    router.add_get("/goals", goals)
    router.add_get(r"/goals/{id:\d{1,12}}/chart.png", goal_chart)
    router.add_post(r"/goals/{id:\d{1,12}}/log", log_progress)
    router.add_post(r"/goals/{id:\d{1,12}}/status", goal_status)
    router.add_get("/reminders", reminders)
    router.add_post(r"/reminders/{id:\d{1,12}}/cancel", cancel_reminder)
    router.add_post(r"/reminders/{id:\d{1,12}}/snooze", snooze_reminder)
    router.add_post("/checkins", save_checkins)
    router.add_post("/checkins/pause", pause_checkins)
    router.add_post("/checkins/review", save_review)
    router.add_get("/conversation", conversation)
    router.add_get("/data", data)
    router.add_get("/data/export.json", export)
    router.add_get("/data/erase", erase_confirm)
    router.add_post("/data/erase", erase)
