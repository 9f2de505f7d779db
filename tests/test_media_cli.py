"""`companion transcribe FILE...` as a person runs it: one line per file, the
transcript only; problems on standard error and a non-zero exit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.media_support import AUDIO, SPOKEN, tiny_en, word_recall
from tests.test_cli import companion


@pytest.mark.slow
async def test_transcribe_prints_one_line_per_file(tmp_path: Path) -> None:
    names = ["run.ogg", "groceries.m4a", "thanks.wav"]
    env = {"COMPANION_DATA_DIR": str(tmp_path / "data"), "COMPANION_WHISPER_MODEL": tiny_en()}
    code, out, err = await companion(
        ["transcribe", *(str(AUDIO / n) for n in names)], env, cwd=tmp_path
    )
    assert code == 0, err
    lines = out.split("\n")
    assert lines[-1] == "" and len(lines) == len(names) + 1  # exactly one line each
    for name, line in zip(names, lines, strict=False):
        assert word_recall(SPOKEN[name], line) >= 0.7, (name, line)
        assert line == line.strip() and "\r" not in line


async def test_transcribe_keeps_the_line_count_when_a_file_is_bad(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ogg"
    broken.write_bytes(b"OggS" + b"\x00" * 300)
    env = {"COMPANION_DATA_DIR": str(tmp_path / "data"), "COMPANION_WHISPER_MODEL": tiny_en()}
    files = [str(broken), str(AUDIO / "thanks.wav"), str(tmp_path / "missing.wav")]
    code, out, err = await companion(["transcribe", *files], env, cwd=tmp_path)
    assert code == 1
    first, second, third, end = out.split("\n")
    assert first == "" and "thank you" in second.lower() and third == "" and end == ""
    assert "broken.ogg: I couldn't play that audio file" in err
    assert "missing.wav: cannot read" in err
    assert "Traceback" not in err


async def test_transcribe_rejects_a_bad_backend_setting(tmp_path: Path) -> None:
    env = {"COMPANION_DATA_DIR": str(tmp_path / "data"), "COMPANION_WHISPER_BACKEND": "api"}
    code, out, err = await companion(["transcribe", str(AUDIO / "thanks.wav")], env, cwd=tmp_path)
    assert code == 2 and out == ""
    assert "COMPANION_WHISPER_API_URL" in err


async def test_doctor_reports_voice_photos_and_voice_replies(tmp_path: Path) -> None:
    import bot.media.checks  # noqa: F401 - registered as the CLI registers them
    from bot.doctor import format_results, run_checks
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, whisper_model=tiny_en())
    text, healthy = format_results(await run_checks(settings))
    assert f"[ok  ] voice notes: faster-whisper, model at {tiny_en()}" in text
    assert "[--  ] photos: no vision model" in text and "COMPANION_VISION_MODEL" in text
    assert "[--  ] voice replies" in text and healthy
    settings = make_settings(
        tmp_path,
        whisper_backend="api",
        vision_model="openai:gpt-4o-mini",
        tts_url="http://127.0.0.1:9/v1",
    )
    text, healthy = format_results(await run_checks(settings))
    assert "[FAIL] voice notes: COMPANION_WHISPER_BACKEND=api needs" in text and not healthy
    assert "[ok  ] photos: described by openai:gpt-4o-mini" in text
    assert "[ok  ] voice replies: tts-1/alloy" in text
