"""The media feature: plugs hearing, seeing and speaking into the core.

- a preprocessor turns voice notes and photos into the turn's text and images;
- an after-turn hook keeps what the companion saw in long-term memory;
- voice replies: a turn that began as a voice note is answered with a voice note
  too, when the person asked for it (/voice on) and a speech server is set;
- /voice switches that per person."""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.commands import Command, CommandFunc
from bot.interfaces import Remembering
from bot.media import checks  # noqa: F401 - registers the doctor checks
from bot.media.hearing import Hearing
from bot.media.preprocess import MediaPreprocessor
from bot.media.seeing import Seeing
from bot.media.speaking import Speaking
from bot.turn import AfterTurn, TurnInput, TurnResult
from bot.types import OutgoingMessage

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)


# Needs nothing; safety, schedule and goals need it first, to read a voice note as words.
NEEDS: tuple[str, ...] = ()


async def install(runtime: Runtime) -> None:
    companion = runtime.companion
    hearing = Hearing(runtime.settings)
    seeing = Seeing(runtime.settings, companion.model)
    speaking = Speaking(runtime.settings)
    runtime.services.hearing = hearing
    runtime.services.seeing = seeing
    runtime.services.speaking = speaking
    companion.hooks.preprocessors.append(
        MediaPreprocessor(runtime.settings, runtime.clock, hearing, seeing)
    )
    companion.hooks.after_turn.append(_photo_memories(runtime))
    _answer_voice_with_voice(runtime, speaking)
    companion.commands.add(
        Command(
            "voice",
            "answer my voice notes with a voice note (on/off)",
            _voice_command(runtime, speaking),
            usage="on|off",
        )
    )


def _photo_memories(runtime: Runtime) -> AfterTurn:
    async def remember(result: TurnResult) -> None:
        """What the companion saw, kept as a memory: "photo of a red bike on 2026-05-03"."""
        photos = result.meta.get("photos") or []
        memory: Remembering | None = runtime.services.memory
        if not photos or memory is None or not result.private:
            return
        at = datetime.fromisoformat(result.meta.get("photo_at") or runtime.clock.now().isoformat())
        try:
            day = at.astimezone(ZoneInfo(result.person.timezone)).date().isoformat()
        except Exception:
            day = at.date().isoformat()
        for description in photos:
            await memory.remember(
                result.person.id,
                f"photo of {description} on {day}",
                kind="event",
                source_turn_ids=[result.user_turn_id],
                platform=result.platform,
                refers_to=at,
            )

    return remember


def _answer_voice_with_voice(runtime: Runtime, speaking: Speaking) -> None:
    """A reply hook: the reply gains a voice note when the person spoke and asked
    for spoken answers. A failed synthesis keeps the text."""

    async def speak(turn: TurnInput, replies: list[OutgoingMessage]) -> list[OutgoingMessage]:
        wanted = turn.meta.get("voice_note") and turn.person.settings.get("voice_replies") is True
        if not (wanted and speaking.available and replies and replies[-1].text.strip()):
            return replies
        try:
            voice = await speaking.synthesize(replies[-1].text)
        except Exception as exc:
            log.warning("voice reply failed for person %s: %s", turn.person.id, exc)
            return replies
        return [*replies[:-1], dataclasses.replace(replies[-1], voice=voice)]

    runtime.companion.hooks.replies.append(speak)


def _voice_command(runtime: Runtime, speaking: Speaking) -> CommandFunc:
    async def voice(turn: TurnInput, args: str) -> str:
        choice = args.strip().lower()
        person = turn.person
        if choice in ("on", "yes", "true", "1"):
            if not speaking.available:
                return (
                    "I can't speak yet: voice replies need a speech server. Whoever runs me "
                    "can set COMPANION_TTS_URL (any OpenAI-compatible /v1/audio/speech)."
                )
            await runtime.people.update_settings(person.id, voice_replies=True)
            return (
                "Done: when you send me a voice note, I'll answer with one too. "
                "/voice off stops it."
            )
        if choice in ("off", "no", "false", "0"):
            await runtime.people.update_settings(person.id, voice_replies=False)
            return "Done: I'll answer in text only."
        state = "on" if person.settings.get("voice_replies") is True else "off"
        return f"Voice replies are {state}. Send /voice on or /voice off."

    return voice
