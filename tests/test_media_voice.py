"""Voice notes through the whole core, as a channel hands them in: real Whisper,
the real langchain-openai client against the fake server, real SQLite; the limits
with their kind answers; and voice replies through the fake speech endpoint."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bot.media.audio import decode, is_ogg_opus
from bot.runtime import Runtime, build_runtime
from bot.types import AttachmentKind, OutgoingMessage
from tests.conftest import make_settings
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI, last_user_text
from tests.media_support import (
    Counting,
    attachment,
    audio,
    message,
    shared_whisper,
    silent_ogg,
    tiny_en,
    word_recall,
)

Build = Callable[..., Awaitable[Runtime]]


@pytest.fixture
async def build(tmp_path: Path, fake_llm: FakeOpenAI, clock: ManualClock) -> AsyncIterator[Build]:
    built: list[Runtime] = []

    async def make(**overrides: object) -> Runtime:
        settings = make_settings(
            tmp_path,
            model="openai:fake-model",
            model_base_url=fake_llm.base_url,
            model_api_key="sk-test-not-a-real-key-000000",
            whisper_model=tiny_en(),
            **overrides,
        )
        rt = await build_runtime(settings, clock=clock)
        rt.services.hearing.transcriber = shared_whisper()
        built.append(rt)
        return rt

    yield make
    for rt in built:
        await rt.close()


def texts(replies: list[OutgoingMessage]) -> list[str]:
    return [r.text for r in replies]


async def test_a_voice_note_becomes_the_persons_words(build: Build, fake_llm: FakeOpenAI) -> None:
    rt = await build(show_transcript="never")
    replies = await rt.companion.handle(message(attachment(audio("run.ogg"), duration=4.8)))
    assert len(replies) == 1 and replies[0].voice is None
    heard = last_user_text(fake_llm.chat_requests()[-1])
    assert "(voice note, transcribed)" in heard
    assert word_recall("I went for a run in the park this morning", heard) >= 0.7
    assert replies[0].text.startswith("You said:")
    person = await rt.people.find(message().identity)
    assert person is not None
    [stored] = [t for t in await rt.turns.all(person.id) if t.role == "user"]
    assert "park" in stored.content  # the transcript is kept in history


async def test_show_transcript_always_says_what_was_heard(build: Build) -> None:
    rt = await build(show_transcript="always")
    replies = await rt.companion.handle(message(attachment(audio("thanks.wav"), mime="audio/wav")))
    assert len(replies) == 2
    assert replies[0].text.startswith("_I heard:_") and "thank you" in replies[0].text.lower()


async def test_uncertain_transcripts_are_shown_only_when_uncertain(build: Build) -> None:
    from bot.media.transcriber import Transcript

    rt = await build(show_transcript="uncertain")
    hearing = rt.services.hearing

    class Unsure:
        name = "unsure"

        def __init__(self, logprob: float) -> None:
            self.logprob = logprob

        def transcribe(self, samples: object, language: str | None) -> Transcript:
            return Transcript("buy milk and bread", avg_logprob=self.logprob)

    hearing.transcriber = Unsure(-1.3)
    replies = await rt.companion.handle(message(attachment(audio("groceries.m4a"))))
    assert texts(replies)[0] == '_I heard:_ "buy milk and bread"'
    hearing.transcriber = Unsure(-0.1)
    replies = await rt.companion.handle(message(attachment(audio("groceries.m4a"))))
    assert len(replies) == 1


@pytest.mark.parametrize(
    ("make_attachment", "expected", "fetched"),
    [
        (lambda: attachment(audio("run.ogg"), duration=900), "15 minutes", False),
        (lambda: attachment(audio("run.ogg"), size=50 * 2**20), "50 MB", False),
        (lambda: attachment(b""), "empty", True),
        (lambda: attachment(b"\x01not audio" * 40), "damaged", True),
        (lambda: attachment(silent_ogg()), "silent", True),
    ],
    ids=["too-long", "too-large", "empty", "corrupt", "silent"],
)
async def test_bad_voice_notes_get_a_kind_answer(
    build: Build,
    fake_llm: FakeOpenAI,
    make_attachment: Callable[[], object],
    expected: str,
    fetched: bool,
) -> None:
    rt = await build()
    voice = make_attachment()
    replies = await rt.companion.handle(message(voice))  # type: ignore[arg-type]
    assert len(replies) == 1 and expected in replies[0].text
    assert voice.fetcher.calls == (1 if fetched else 0)  # type: ignore[attr-defined]
    assert fake_llm.chat_requests() == []  # nothing half-heard went to the model
    # ...and the bot keeps going.
    replies = await rt.companion.handle(message(text="still there?"))
    assert texts(replies) == ["You said: still there?"]


async def test_too_long_found_while_decoding(build: Build) -> None:
    rt = await build(max_voice_seconds=2)
    replies = await rt.companion.handle(message(attachment(audio("run.ogg"))))  # no duration
    assert "5 seconds" in replies[0].text and "2 seconds" in replies[0].text


async def test_a_failed_download_is_said_plainly(build: Build) -> None:
    rt = await build()
    fetcher = Counting(b"", error=ConnectionError("platform down"))
    replies = await rt.companion.handle(message(attachment(b"x", fetcher=fetcher)))
    assert texts(replies) == ["I couldn't download that file. Could you send it again?"]


async def test_an_audio_file_with_a_caption(build: Build, fake_llm: FakeOpenAI) -> None:
    rt = await build(show_transcript="never")
    note = attachment(audio("weather.mp3"), AttachmentKind.AUDIO, mime="audio/mpeg")
    await rt.companion.handle(message(note, text="listen to this"))
    heard = last_user_text(fake_llm.chat_requests()[-1])
    assert "(audio file, transcribed)" in heard and "listen to this" in heard
    assert "sunny" in heard.lower()


# ---------------------------------------------------------------------- voice replies


async def test_voice_replies_come_back_as_ogg_opus(build: Build, fake_llm: FakeOpenAI) -> None:
    rt = await build(
        tts_url=fake_llm.base_url,
        tts_voice="nova",
        speech_api_key="sk-speech-test-0000",
        show_transcript="never",
    )
    assert "can't speak" not in texts(await rt.companion.handle(message(text="/voice")))[0]
    assert "Done" in texts(await rt.companion.handle(message(text="/voice on")))[0]
    fake_llm.speech_audio = audio("thanks.wav")  # the speech server answers in WAV
    fake_llm.say("Thank you very much.")
    [reply] = await rt.companion.handle(message(attachment(audio("thanks.wav"))))
    assert reply.text == "Thank you very much."
    assert reply.voice is not None and is_ogg_opus(reply.voice)
    [request] = fake_llm.speech_requests
    assert request["input"] == "Thank you very much." and request["voice"] == "nova"
    assert request["authorization"] == "Bearer sk-speech-test-0000"
    # The voice note is real speech: Whisper hears it back.
    back = shared_whisper().transcribe(decode(reply.voice).samples, "en")
    assert word_recall("thank you very much", back.text) >= 0.75


async def test_voice_reply_keeps_ogg_from_the_server_and_falls_back_to_text(
    build: Build, fake_llm: FakeOpenAI
) -> None:
    rt = await build(tts_url=f"{fake_llm.base_url}/audio/speech", show_transcript="never")
    await rt.companion.handle(message(text="/voice on"))
    fake_llm.speech_audio = audio("run.ogg")
    [reply] = await rt.companion.handle(message(attachment(audio("thanks.wav"))))
    assert reply.voice == audio("run.ogg")  # already OGG/Opus: sent as it is
    fake_llm.audio_status = 503
    [reply] = await rt.companion.handle(message(attachment(audio("thanks.wav"))))
    assert reply.voice is None and reply.text.startswith("You said:")  # text still arrives


async def test_no_voice_reply_unless_asked_and_spoken(build: Build, fake_llm: FakeOpenAI) -> None:
    rt = await build(tts_url=fake_llm.base_url, show_transcript="never")
    [reply] = await rt.companion.handle(message(attachment(audio("thanks.wav"))))
    assert reply.voice is None  # voice replies are off by default
    await rt.companion.handle(message(text="/voice on"))
    [reply] = await rt.companion.handle(message(text="typed, not spoken"))
    assert reply.voice is None
    await rt.companion.handle(message(text="/voice off"))
    [reply] = await rt.companion.handle(message(attachment(audio("thanks.wav"))))
    assert reply.voice is None
    assert fake_llm.speech_requests == []


async def test_voice_on_without_a_speech_server_explains(build: Build) -> None:
    rt = await build()
    [reply] = await rt.companion.handle(message(text="/voice on"))
    assert "COMPANION_TTS_URL" in reply.text
    person = await rt.people.find(message().identity)
    assert person is not None and not person.settings.get("voice_replies")
