"""The chat model's goal tools. The person comes from the ToolContext; the model only
names goals (by id or words), and loose names go through the deterministic matcher."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from bot.goals.service import (
    MAX_TITLE,
    DuplicateGoal,
    GoalNotFound,
    GoalsService,
    TitleTooLong,
    rhythm_text,
)
from bot.tools import Tool, ToolContext
from memory.goals import Goal

Cadence = Literal["daily", "weekly", "by_date", "none"]


class AddGoalArgs(BaseModel):
    title: str = Field(description="short title in the person's own words, e.g. 'Run a 10k'")
    why: str | None = Field(None, description="why it matters to them, in their words")
    cadence: Cadence | None = Field(
        None, description="daily or weekly for habits, by_date for a deadline, none otherwise"
    )
    times_per_period: int | None = Field(
        None, ge=1, le=50, description="for habits: times per day/week, e.g. 3 for '3x a week'"
    )
    target_date: str | None = Field(None, description="YYYY-MM-DD, for by_date goals")


class UpdateGoalArgs(BaseModel):
    goal: str = Field(description="the goal's number as in their list (e.g. '3') or its title")
    title: str | None = None
    why: str | None = None
    cadence: Cadence | None = None
    times_per_period: int | None = Field(None, ge=1, le=50)
    target_date: str | None = Field(None, description="YYYY-MM-DD")
    status: Literal["active", "paused", "dropped"] | None = Field(
        None, description="pause, drop (give up) or reactivate; use complete_goal when achieved"
    )


class LogProgressArgs(BaseModel):
    goal: str | None = Field(
        None, description="the goal's number (e.g. '3') or title; omit to match from the note"
    )
    amount: float | None = Field(None, description="a number if there is one, e.g. 5 for 5k")
    note: str | None = Field(None, description="what they did, in their words: 'ran 5k'")
    when: str | None = Field(
        None, description="local ISO time if it was not just now, e.g. 2026-05-03T07:30"
    )


class GoalRefArgs(BaseModel):
    goal: str = Field(description="the goal's number as in their list (e.g. '3') or its title")


class ListGoalsArgs(BaseModel):
    include_closed: bool = Field(False, description="also list done and dropped goals")


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise ValueError(f"target_date must be YYYY-MM-DD, got {text!r}") from None


def _label(number: int, goal: Goal) -> str:
    rhythm = rhythm_text(goal)
    return f"{number}. {goal.title}" + (f" ({rhythm})" if rhythm else "")


def build_tools(service: GoalsService) -> list[Tool]:
    async def tz_of(person_id: int) -> str:
        person = await service.people.get(person_id)
        return person.timezone if person else "UTC"

    async def add_goal(ctx: ToolContext, args: AddGoalArgs) -> str:
        try:
            goal = await service.add(
                ctx.person_id,
                args.title,
                why=args.why,
                cadence=args.cadence,
                times_per_period=args.times_per_period,
                target_date=_date(args.target_date),
            )
        except DuplicateGoal as exc:
            return f"not added: {exc} (use update_goal to change it)"
        except TitleTooLong as exc:
            return f"not added: {exc}"
        return f"added goal {_label(await service.number_of(ctx.person_id, goal), goal)}"

    async def update_goal(ctx: ToolContext, args: UpdateGoalArgs) -> str:
        try:
            goal = await service.find(ctx.person_id, args.goal, include_closed=True)
        except GoalNotFound as exc:
            return f"error: {exc}"
        fields: dict[str, object] = {}
        for name in ("title", "why", "cadence", "times_per_period", "status"):
            value = getattr(args, name)
            if value is not None:
                fields[name] = value
        if args.target_date is not None:
            fields["target_date"] = _date(args.target_date)
        if args.title is not None:
            title = " ".join(args.title.split())
            if not title or len(title) > MAX_TITLE:
                return f"error: {TitleTooLong(len(title))}" if title else "error: empty title"
            fields["title"] = title
        if not fields:
            return "nothing to change"
        goal = await service.update(ctx.person_id, goal, **fields)
        number = await service.number_of(ctx.person_id, goal)
        return f"updated goal {_label(number, goal)}, status {goal.status}"

    async def log_progress(ctx: ToolContext, args: LogProgressArgs) -> str:
        goal = None
        problem = ""
        for ref in (args.goal, args.note):
            if not ref:
                continue
            try:
                goal = await service.find(ctx.person_id, ref)
                break
            except GoalNotFound as exc:
                problem = problem or str(exc)
        if goal is None:
            return f"error: {problem or 'say which goal (id or title)'}"
        tz = await tz_of(ctx.person_id)
        at = None
        if args.when:
            try:
                parsed = datetime.fromisoformat(args.when.strip())
            except ValueError:
                return f"error: when must be an ISO time like 2026-05-03T07:30, got {args.when!r}"
            at = parsed if parsed.tzinfo else parsed.replace(tzinfo=ZoneInfo(tz))
            if at > service.clock.now() + timedelta(minutes=5):
                return "error: that time is in the future; log progress once it has happened"
        source = await service.store.latest_user_turn(ctx.person_id)
        await service.log(
            ctx.person_id,
            goal,
            amount=args.amount,
            note=args.note,
            at=at,
            source_turn_id=source,
        )
        views = [v for v in await service.views(ctx.person_id) if v.goal.id == goal.id]
        summary = await service.describe(views[0], tz) if views else goal.title
        number = views[0].number if views else await service.number_of(ctx.person_id, goal)
        return f"logged progress on goal {number}: {summary}"

    async def complete_goal(ctx: ToolContext, args: GoalRefArgs) -> str:
        try:
            goal = await service.find(ctx.person_id, args.goal)
        except GoalNotFound as exc:
            return f"error: {exc}"
        goal = await service.set_status(ctx.person_id, goal, "done")
        return f"marked done: {_label(await service.number_of(ctx.person_id, goal), goal)}"

    async def list_goals(ctx: ToolContext, args: ListGoalsArgs) -> str:
        views = await service.views(ctx.person_id, include_closed=args.include_closed)
        if not views:
            return "no goals yet"
        tz = await tz_of(ctx.person_id)
        return "\n".join([f"{v.number}. {await service.describe(v, tz)}" for v in views])

    return [
        Tool(
            "add_goal",
            "Add a goal the person chose for themselves (ask before adding if unsure).",
            AddGoalArgs,
            add_goal,
        ),
        Tool(
            "update_goal",
            "Change a goal's title, why, rhythm or date, or pause / drop / reactivate it.",
            UpdateGoalArgs,
            update_goal,
        ),
        Tool(
            "log_progress",
            "Record progress the person reports, even in passing ('ran 5k this morning'), "
            "against the matching active goal.",
            LogProgressArgs,
            log_progress,
        ),
        Tool("complete_goal", "Mark a goal as achieved.", GoalRefArgs, complete_goal),
        Tool(
            "list_goals",
            "List the person's goals with progress and streaks.",
            ListGoalsArgs,
            list_goals,
        ),
    ]
