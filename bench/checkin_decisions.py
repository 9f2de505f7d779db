"""A month of simulated people on the injected clock, through the real engine, the real
scheduler sweep, policy, triggers and composer, with a stand-in chat model that answers
check-in decisions the ways real models do: valid decisions (send or stay silent), the
bare word, narration, chatty refusals, narration inside the tool call, malformed and
mistyped tool calls, the wrong tool, timeouts and server errors.

    python bench/checkin_decisions.py [--people 40] [--days 30] [--seed 7]

People (timezones Berlin, New York, Tokyo, UTC; English, German, French, Spanish):
idle ones who said hello once; chatty ones who write every day but mention nothing
dated; eventful ones who mention interviews, exams, flights... with times ("Thursday at
10", "am Freitag um 9 Uhr", "la semana que viene") and sometimes tell how it went
before being asked; goal people with a daily and a weekly habit; and a few who have a
crisis (``person.settings["crisis_at"]`` set as the safety feature does).

Measured, against the simulation's own ground truth:
- leaked: delivered messages holding any text the stand-in produced that was not a
  valid decision to send (aim 0);
- followups_on_time: events (not told first) asked about exactly once, after they ended
  and within 36 hours (a week for "next week");
- model_calls_per_idle_day: decision calls on the days of idle and chatty people when
  nothing was due (aim 0; the one hello after five quiet days is due, so not counted).

The LAST line is exactly
``leaked=<n> followups_on_time=<n> of <m> model_calls_per_idle_day=<x>``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import statistics
import sys
import tempfile
import time as wall
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict
from sqlalchemy import select

from bot.channel import Handler
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.types import Capabilities, ChannelRef, Identity, IncomingMessage, OutgoingMessage
from memory.schedule_schema import DeliveryRow

START = datetime(2026, 5, 4, 0, 0, tzinfo=UTC)  # a Monday
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"]
LANGS = ["en", "de", "fr", "es"]
MINILM = "all-MiniLM-L6-v2-onnx"


# ---------------------------------------------------------------- the clock


class BenchClock:
    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = max(self._now, when)

    async def sleep(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
        await asyncio.sleep(0)


# ---------------------------------------------------------------- the stand-in model

MODES = {  # how a check-in decision is answered, with weights
    "send": 34,
    "silent": 8,
    "bare_word": 8,
    "narration": 10,
    "narration_in_tool": 10,
    "refusal": 5,
    "malformed_tool_call": 8,
    "wrong_tool": 4,
    "mistyped_args": 4,
    "timeout": 6,
    "server_error": 3,
}
JUNK_TEXT = {
    "bare_word": ["SKIP", "SKIP.", "NO_REPLY", "HEARTBEAT_OK"],
    "narration": [
        "Nothing new today, I'll skip this check-in.",
        "Since there is nothing time-bound, I'll ask lightly how their week is going.",
        "All clear: no message needed for the user right now.",
        "I'll send a short check-in asking about their goals.",
    ],
    "refusal": [
        "I'm sorry, but I can't help with sending messages on someone's behalf.",
        "As an AI language model, I don't have feelings, but here's a check-in: how are you?",
    ],
}
GOOD = {
    "followup": ["So, how did it go?", "How did it go? I've been curious."],
    "goal_window": ["How's the week looking for your runs?"],
    "streak": ["Still time for today's session?"],
    "deadline": ["How is it looking with the date coming up?"],
    "hello": ["Hi! No need to reply, just saying hello."],
    "other": ["How are you doing today?"],
}


def trigger_of(prompt: str) -> str:
    if "Ask how it went" in prompt:
        return "followup"
    if "times a week" in prompt and "week ends" in prompt:
        return "goal_window"
    if "in a row" in prompt:
        return "streak"
    if "has a date" in prompt:
        return "deadline"
    if "have not written for" in prompt:
        return "hello"
    return "other"


@dataclass
class Script:
    """Chooses each answer; remembers what it said and whether it was a valid send."""

    rng: random.Random
    decision_calls: int = 0
    conversation_calls: int = 0
    modes: Counter[str] = field(default_factory=Counter)
    junk: set[str] = field(default_factory=set)
    good: set[str] = field(default_factory=set)

    def answer(self, messages: Sequence[BaseMessage], tools: list[dict[str, Any]]) -> AIMessage:
        system = str(messages[0].content) if messages else ""
        names = {t.get("function", {}).get("name") for t in tools}
        if "CheckinDecision" not in names:
            if system.startswith("MEMORY"):
                return AIMessage(content='{"memories": []}')
            self.conversation_calls += 1
            return AIMessage(content="Thanks for telling me.")
        self.decision_calls += 1
        kind = trigger_of(system)
        mode = self.rng.choices(list(MODES), weights=list(MODES.values()))[0]
        if mode == "silent" and kind == "followup":
            # Asked to follow up on their news, which they have not told about (the rules
            # drop the ones they told first before any model call), a model writes.
            mode = "send"
        self.modes[mode] += 1
        usage = {
            "input_tokens": len(system) // 4,
            "output_tokens": 30,
            "total_tokens": len(system) // 4 + 30,
        }

        def call(args: Any, name: str = "CheckinDecision") -> AIMessage:
            return AIMessage(
                content="",
                tool_calls=[{"name": name, "args": args, "id": "c1"}],
                usage_metadata=usage,
            )  # type: ignore[arg-type]

        if mode == "send":
            text = self.rng.choice(GOOD[kind])
            self.good.add(text)
            return call({"send": True, "message": text, "reason": f"{kind} worth raising"})
        if mode == "silent":
            return call({"send": False, "message": "", "reason": "not welcome now"})
        if mode in JUNK_TEXT:
            text = self.rng.choice(JUNK_TEXT[mode])
            self.junk.add(text)
            return AIMessage(content=text, usage_metadata=usage)  # type: ignore[arg-type]
        if mode == "narration_in_tool":
            text = self.rng.choice(JUNK_TEXT["narration"])
            self.junk.add(text)
            return call({"send": True, "message": text, "reason": "light check-in"})
        if mode == "malformed_tool_call":
            raw = '{"send": true, "message": "Hey, how did the'
            self.junk.add("Hey, how did the")
            return AIMessage(
                content="",
                invalid_tool_calls=[
                    {
                        "name": "CheckinDecision",
                        "args": raw,
                        "id": "c1",
                        "error": "bad JSON",
                        "type": "invalid_tool_call",
                    }
                ],
                usage_metadata=usage,  # type: ignore[arg-type]
            )
        if mode == "wrong_tool":
            self.junk.add("remember to ask about their week")
            return call({"text": "remember to ask about their week"}, name="remember")
        if mode == "mistyped_args":
            self.junk.add("yes, write: hello there!")
            return call({"send": "yes", "message": ["yes, write: hello there!"], "reason": 3})
        request = httpx.Request("POST", "http://stand-in/v1/chat/completions")
        if mode == "timeout":
            raise openai.APITimeoutError(request=request)
        raise openai.InternalServerError(
            "server error", response=httpx.Response(500, request=request), body=None
        )


class StandIn(BaseChatModel):
    """A chat model for the bench: no network, answers from ``script``."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    script: Any = None

    @property
    def _llm_type(self) -> str:
        return "stand-in"

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: Any = None, **kw: Any) -> Any:
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], tool_choice=tool_choice)

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        raise NotImplementedError("async only")

    async def _agenerate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        message = self.script.answer(messages, kwargs.get("tools") or [])
        return ChatResult(generations=[ChatGeneration(message=message)])


# ---------------------------------------------------------------- the channel


class Inbox:
    """A channel that receives proactive sends, with the simulated time."""

    platform = "telegram"
    capabilities = Capabilities()

    def __init__(self, clock: BenchClock) -> None:
        self.clock = clock
        self.received: list[tuple[str, OutgoingMessage, datetime]] = []

    async def start(self, handler: Handler) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, identity: Identity, message: OutgoingMessage) -> None:
        self.received.append((identity.platform_user_id, message, self.clock.now()))


# ---------------------------------------------------------------- the people

WEEKDAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
    "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag".split(),
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche".split(),
    "es": "lunes martes miércoles jueves viernes sábado domingo".split(),
}
# (phrase with {day}/{hour}, told-first sentence) per language; {day} is a weekday name.
EVENTS = {
    "en": [
        ("I have a job interview {day} at {hour}, wish me luck", "The interview went well!"),
        ("exam on {day} at {hour}, so nervous", "I had the exam, it was fine"),
        ("dentist appointment {day} at {hour} ugh", "The dentist appointment was ok"),
        ("I'm flying to Lisbon on {day}", "The flight was smooth"),
        ("big presentation on {day} at {hour}", "The presentation went great"),
    ],
    "de": [
        (
            "Am {day} um {hour} Uhr habe ich ein Vorstellungsgespräch",
            "Das Vorstellungsgespräch lief gut",
        ),
        ("Prüfung am {day} um {hour} Uhr", "Die Prüfung war okay"),
        ("Zahnarzt am {day} um {hour} Uhr", "Der Zahnarzt war nicht so schlimm"),
    ],
    "fr": [
        ("J'ai un entretien {day} à {hour}h", "L'entretien s'est bien passé"),
        ("examen {day} à {hour}h", "L'examen s'est bien passé"),
    ],
    "es": [
        ("Tengo una entrevista el {day} a las {hour}", "La entrevista fue muy bien"),
        ("examen el {day} a las {hour}", "El examen fue bien"),
    ],
}
NEXT_WEEK = {
    "en": ("exam next week, so much to study", "The exam went fine in the end"),
    "de": ("Prüfung nächste Woche, viel zu lernen", "Die Prüfung lief gut"),
    "fr": ("examen la semaine prochaine", "L'examen s'est bien passé"),
    "es": ("examen la próxima semana", "El examen fue bien"),
}
SMALL_TALK = [
    "just had lunch",
    "long day at work",
    "watching a film tonight",
    "hi!",
    "thinking about dinner",
    "it's raining again",
]
REPLIES = ["thanks for asking!", "all good", "it was fine, thanks", "busy, talk later"]
HOURS = {"interview": 1.5, "exam": 3, "dentist": 1.5, "flying": 4, "presentation": 2}


@dataclass
class Event:
    person: int
    said_at: datetime
    start: datetime  # ground truth
    earliest: datetime  # asking before this is too early (it has not ended)
    latest: datetime  # asking after this is late
    told_first: bool
    precision: str
    phrase: str = ""


@dataclass
class Sim:
    uid: str
    kind: str  # idle | chatty | eventful | goals | crisis
    tz: ZoneInfo
    lang: str
    person_id: int = 0
    actions: list[tuple[datetime, str]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    crisis_at: datetime | None = None
    last_message: datetime | None = None


def local(sim: Sim, day: date, hour: float) -> datetime:
    naive = datetime.combine(day, time(0)) + timedelta(hours=hour)
    return naive.replace(tzinfo=sim.tz).astimezone(UTC)


def plan(sim: Sim, days: int, rng: random.Random) -> None:
    """Everything this person will do, with its time; events with their ground truth."""
    first = START.astimezone(sim.tz).date()
    sim.actions.append((local(sim, first, 8.5), "hi"))
    if sim.kind in ("goals", "crisis"):
        sim.actions.append((local(sim, first, 8.6), "/goals add Meditate every day"))
        sim.actions.append((local(sim, first, 8.7), "/goals add Run 3 times a week"))
    for d in range(days):
        day = first + timedelta(days=d)
        if sim.kind == "chatty" or (sim.kind == "eventful" and rng.random() < 0.5):
            sim.actions.append((local(sim, day, rng.uniform(11, 21)), rng.choice(SMALL_TALK)))
        if sim.kind in ("goals", "crisis"):
            if rng.random() < 0.8:
                sim.actions.append((local(sim, day, rng.uniform(19, 21.5)), "/goals log 1"))
            if rng.random() < 0.35:
                sim.actions.append((local(sim, day, rng.uniform(7, 9)), "/goals log 2"))
        if sim.kind == "eventful" and d % 4 == 1 and d + 8 < days:
            mention(sim, day, rng)
    if sim.kind == "crisis":
        day = first + timedelta(days=10)
        sim.crisis_at = local(sim, day, 15)
        sim.actions.append((sim.crisis_at, "I can't do this anymore"))
    sim.actions.sort()


KINDS = {
    "interview": "interview",
    "entretien": "interview",
    "entrevista": "interview",
    "vorstellungsgespräch": "interview",
    "exam": "exam",
    "examen": "exam",
    "prüfung": "exam",
    "dentist": "dentist",
    "zahnarzt": "dentist",
    "flying": "flight",
    "presentation": "presentation",
}


def kind_of(phrase: str) -> str:
    words = phrase.lower().replace(",", " ").split()
    return next((KINDS[w] for w in words if w in KINDS), "")


def mention(sim: Sim, day: date, rng: random.Random) -> None:
    said = local(sim, day, rng.uniform(9, 12))
    # Not the same kind of event twice in a week and a half: that reads as one event.
    recent = {kind_of(e.phrase) for e in sim.events if said - e.said_at < timedelta(days=10)}
    if rng.random() < 0.2 and "exam" not in recent:
        phrase, told = NEXT_WEEK[sim.lang]
        monday = day - timedelta(days=day.weekday()) + timedelta(days=7)
        start = local(sim, monday, 0)
        earliest, latest = (
            local(sim, monday, 12) + timedelta(days=2),
            local(sim, monday, 0) + timedelta(days=8),
        )
        precision = "week"
        told_at = local(sim, monday + timedelta(days=3), 13)
    else:
        choices = [e for e in EVENTS[sim.lang] if kind_of(e[0]) not in recent]
        if not choices:
            return
        phrase, told = rng.choice(choices)
        ahead = rng.randint(1, 6)
        event_day = day + timedelta(days=ahead)
        hour = rng.choice([9, 10, 11, 14, 15, 16]) if "{hour}" in phrase else None
        name = WEEKDAYS[sim.lang][event_day.weekday()]
        phrase = phrase.format(day=name, hour=hour)
        if hour is None:  # a whole day
            start = local(sim, event_day, 0)
            earliest, latest = (
                local(sim, event_day, 12),
                local(sim, event_day, 12) + timedelta(hours=36),
            )
            precision = "day"
            told_at = local(sim, event_day, 14.5)
        else:
            start = local(sim, event_day, hour)
            word = next((w for w in HOURS if w in phrase.lower()), "")
            earliest = start + timedelta(hours=HOURS.get(word, 1.5) if sim.lang == "en" else 1)
            latest = start + timedelta(hours=36)
            precision = "time"
            told_at = start + timedelta(hours=1.6)
    told_first = rng.random() < 0.2
    sim.actions.append((said, phrase))
    if told_first:
        sim.actions.append((told_at, told))
    sim.events.append(Event(0, said, start, earliest, latest, told_first, precision, phrase))


# ---------------------------------------------------------------- the run


def minilm_dir() -> Path | None:
    env = os.environ.get("COMPANION_EMBEDDING_MODEL_DIR")
    if env:
        return Path(env)
    for parent in Path(__file__).resolve().parents:
        folder = parent / "shared" / "models" / MINILM
        if folder.is_dir():
            return folder
    return None


async def say(rt: Runtime, sim: Sim, text: str, clock: BenchClock) -> None:
    msg = IncomingMessage(
        identity=Identity("telegram", sim.uid),
        channel=ChannelRef("telegram", sim.uid),
        text=text,
        display_name=f"P{sim.uid}",
        sent_at=clock.now(),
    )
    await rt.companion.handle(msg)
    sim.last_message = clock.now()


async def act(rt: Runtime, sim: Sim, text: str, at: datetime, clock: BenchClock) -> None:
    """The person writes (the safety feature's mark comes with a crisis message)."""
    if sim.crisis_at is not None and at == sim.crisis_at:
        await rt.people.update_settings(sim.person_id, crisis_at=at.isoformat())
    await say(rt, sim, text, clock)
    if not sim.person_id:
        found = await rt.people.find(Identity("telegram", sim.uid))
        assert found is not None
        sim.person_id = found.id
        await rt.people.update(found.id, timezone=sim.tz.key, locale=sim.lang)
        await rt.services.checkins.reschedule(found.id)


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    script = Script(random.Random(args.seed + 1))
    # A repeating mix of 20: 6 idle, 6 eventful, 4 chatty, 3 with goals, 1 with a crisis.
    kinds = (
        "idle eventful chatty idle goals eventful idle chatty eventful idle eventful goals "
        "idle chatty eventful idle eventful goals chatty crisis"
    ).split()
    sims = [
        Sim(
            str(1000 + i),
            kinds[i % len(kinds)],
            ZoneInfo(ZONES[i % len(ZONES)]),
            LANGS[(i // len(ZONES)) % len(LANGS)],
        )
        for i in range(args.people)
    ]
    for sim in sims:
        plan(sim, args.days, rng)
    end = START + timedelta(days=args.days)

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(tmp),
            scheduler_enabled=False,  # the sweep is driven here, on the injected clock
            model="openai:stand-in",
            embedding_model_dir=minilm_dir(),
        )
        clock = BenchClock(START)
        rt = await build_runtime(settings, clock=clock, model=StandIn(script=script))
        inbox = Inbox(clock)
        rt.outbox.register(inbox)
        by_uid = {s.uid: s for s in sims}
        queue = sorted((at, s.uid, text) for s in sims for at, text in s.actions)
        replies: list[tuple[datetime, str, str]] = []
        seen_sent = 0
        timings: list[float] = []
        counts: Counter[str] = Counter()
        service = rt.services.checkins
        began = wall.perf_counter()
        try:
            while clock.now() < end:
                # Sweep as the scheduler would (every 20 s; here at each due time, every
                # 5 minutes while something stays due), up to the next thing people do.
                upcoming = min([end] + [q[0] for q in queue[:1]] + [r[0] for r in replies[:1]])
                due = await service.store.next_due()
                step = clock.now() + timedelta(minutes=5)
                target = step if due is not None and due <= step else (due or upcoming)
                target = min(target, upcoming)
                if target > clock.now():
                    clock.set(target)
                    t0 = wall.perf_counter()
                    counts.update(await service.run_due(clock.now()))
                    timings.append(wall.perf_counter() - t0)
                for uid, _message, at in inbox.received[seen_sent:]:
                    if by_uid[uid].kind != "idle" and rng.random() < 0.6:
                        later = at + timedelta(minutes=rng.uniform(20, 120))
                        replies.append((later, uid, rng.choice(REPLIES)))
                seen_sent = len(inbox.received)
                replies.sort()
                while (queue and queue[0][0] <= clock.now()) or (
                    replies and replies[0][0] <= clock.now()
                ):
                    source = queue if queue and queue[0][0] <= clock.now() else replies
                    at, uid, text = source.pop(0)
                    await act(rt, by_uid[uid], text, at, clock)
            await rt.companion.drain()
            seconds = wall.perf_counter() - began
            report(rt, sims, script, inbox, counts, timings, seconds, args)
            await finish(rt, sims, script, inbox, args)
        finally:
            await rt.close()


def report(
    rt: Runtime,
    sims: list[Sim],
    script: Script,
    inbox: Inbox,
    counts: Counter[str],
    timings: list[float],
    seconds: float,
    args: argparse.Namespace,
) -> None:
    ms = sorted(t * 1000 for t in timings)
    p95 = ms[int(len(ms) * 0.95)] if ms else 0.0
    print(f"people={args.people} days={args.days} seed={args.seed}  ({seconds:.0f} s wall)")
    print(f"kinds: {dict(Counter(s.kind for s in sims))}")
    print(f"sweeps: {len(ms)}, median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms")
    print(f"slot outcomes: {dict(sorted(counts.items()))}")
    print(
        f"stand-in: {script.decision_calls} decision calls, {script.conversation_calls} "
        f"conversation calls; answers: {dict(script.modes.most_common())}"
    )
    print(f"proactive messages received: {len(inbox.received)}")


async def finish(
    rt: Runtime, sims: list[Sim], script: Script, inbox: Inbox, args: argparse.Namespace
) -> None:
    # --- leaked: any stand-in text that was not a valid send, in anything delivered
    leaked = sum(any(j in m.text for j in script.junk) for _, m, _ in inbox.received)
    # --- the delivery log: which check-in asked about which follow-up, and model calls
    received_at = {m.key: at for _, m, at in inbox.received if m.key}
    per_day_calls: Counter[tuple[int, date]] = Counter()
    asked: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)  # pid -> (event, sent)
    care: dict[int, list[datetime]] = defaultdict(list)
    sent_times: dict[int, list[datetime]] = defaultdict(list)
    logged_calls = tokens = 0
    reasons: Counter[str] = Counter()
    for sim in sims:
        data = await rt.export_person(sim.person_id)
        followups = {f["id"]: f for f in data["followups"]}
        async with rt.db.session() as s:
            query = select(DeliveryRow).where(
                DeliveryRow.person_id == sim.person_id, DeliveryRow.kind == "checkin"
            )
            rows = list(await s.scalars(query))
        for row in rows:
            meta = row.meta or {}
            calls = int(meta.get("calls") or 0)
            logged_calls += calls
            tokens += int(meta.get("tokens") or 0)
            reasons[str(meta.get("reason"))] += 1
            day = row.created_at.astimezone(sim.tz).date()
            per_day_calls[(sim.person_id, day)] += calls
            at = received_at.get(row.key)
            if at is None:
                continue
            sent_times[sim.person_id].append(at)
            if meta.get("trigger") == "care":
                care[sim.person_id].append(at)
            if row.topic and row.topic.startswith("followup:"):
                f = followups.get(int(row.topic.split(":")[1]))
                if f is not None:
                    asked[sim.person_id].append((datetime.fromisoformat(f["event_at"]), at))
    # --- follow-ups against the ground truth
    expected = on_time = told = told_asked = 0
    for sim in sims:
        for ev in sim.events:
            matches = [
                sent
                for event_at, sent in asked[sim.person_id]
                if abs(event_at - ev.start) < timedelta(hours=1)
            ]
            if ev.told_first:
                told += 1
                told_asked += bool(matches)
                if matches and os.environ.get("BENCH_DEBUG"):
                    print("ASKED AFTER TOLD", sim.uid, sim.tz.key, ev.phrase, ev.start, matches)
                continue
            expected += 1
            if len(matches) == 1 and ev.earliest <= matches[0] <= ev.latest:
                on_time += 1
            elif os.environ.get("BENCH_DEBUG"):
                tz = sim.tz
                print(
                    "MISSED",
                    sim.uid,
                    sim.kind,
                    tz.key,
                    repr(ev.phrase),
                    f"said {ev.said_at.astimezone(tz):%a %d %H:%M}",
                    f"start {ev.start.astimezone(tz):%a %d %H:%M}",
                    f"from {ev.earliest.astimezone(tz):%a %d %H:%M}",
                    f"to {ev.latest.astimezone(tz):%a %d %H:%M}",
                    [f"{m.astimezone(tz):%a %d %H:%M}" for m in matches],
                    [f"{e.astimezone(tz):%a %d %H:%M}" for e, _ in asked[sim.person_id]],
                )
    # --- idle days: idle and chatty people, minus the day a hello is due
    idle_days = idle_calls = 0
    for sim in sims:
        if sim.kind not in ("idle", "chatty"):
            continue
        first = START.astimezone(sim.tz).date()
        hello_days: set[date] = set()
        if sim.kind == "idle" and sim.last_message is not None:
            due = (
                (sim.last_message + timedelta(days=rt.settings.checkin_hello_after_days))
                .astimezone(sim.tz)
                .date()
            )
            hello_days = {due, due + timedelta(days=1)}
        for d in range(1, args.days):
            day = first + timedelta(days=d)
            if day in hello_days:
                continue
            idle_days += 1
            idle_calls += per_day_calls[(sim.person_id, day)]
    idle_sends = sum(len(sent_times[s.person_id]) for s in sims if s.kind == "chatty")
    hellos = sum(len(sent_times[s.person_id]) for s in sims if s.kind == "idle")
    if os.environ.get("BENCH_DEBUG"):
        for s in sims:
            print(
                s.uid,
                s.person_id,
                s.kind,
                s.tz.key,
                s.lang,
                [f"{t.astimezone(s.tz):%a %d %H:%M}" for t in sent_times[s.person_id]],
            )
    # --- after a crisis: nothing for a day, then one gentle word
    crisis_ok = crisis_total = 0
    for sim in sims:
        if sim.crisis_at is None:
            continue
        crisis_total += 1
        quiet = [
            t
            for t in sent_times[sim.person_id]
            if sim.crisis_at <= t < sim.crisis_at + timedelta(hours=24)
        ]
        words = [t for t in care[sim.person_id] if t < sim.crisis_at + timedelta(hours=72)]
        crisis_ok += not quiet and len(words) == 1
    print(f"decisions by reason: {dict(reasons.most_common())}")
    print(
        f"model calls: stand-in counted {script.decision_calls}, delivery log {logged_calls}; "
        f"tokens logged {tokens}"
    )
    print(f"told first (should not be asked): asked {told_asked} of {told}")
    print(
        f"chatty people's check-ins (no reason ever due): {idle_sends}; idle people's "
        f"hellos: {hellos} for {sum(s.kind == 'idle' for s in sims)} people"
    )
    print(f"after a crisis: quiet for a day then one gentle word: {crisis_ok} of {crisis_total}")
    print(
        f"idle person-days (idle and chatty people, nothing due): {idle_days}, "
        f"decision calls on them: {idle_calls}"
    )
    per_idle = idle_calls / idle_days if idle_days else 0.0
    print(
        f"leaked={leaked} followups_on_time={on_time} of {expected} "
        f"model_calls_per_idle_day={per_idle:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=40)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
