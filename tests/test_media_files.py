"""Audio decoding and image checks on real files: every format the platforms send,
and every way a file can be bad. No model involved."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bot.media import audio as audio_mod
from bot.media.images import ImageEmpty, prepare_image
from bot.media.problems import (
    AudioEmpty,
    AudioSilent,
    AudioTooLong,
    AudioUndecodable,
    FileTooLarge,
    ImageTooManyPixels,
    ImageUnreadable,
)
from bot.media.seeing import clean_description
from bot.media.speaking import speakable
from bot.media.transcriber import Transcript, endpoint
from tests.media_support import SPOKEN, audio, png, silent_ogg

EXPECTED_SECONDS = {"run.ogg": 4.8, "weather.mp3": 2.7, "groceries.m4a": 3.1, "thanks.wav": 1.7}


@pytest.mark.parametrize("name", sorted(SPOKEN))
def test_every_platform_format_decodes_to_16khz_mono(name: str) -> None:
    decoded = audio_mod.decode(audio(name), max_seconds=600)
    assert decoded.samples.dtype == np.float32 and decoded.samples.ndim == 1
    assert decoded.seconds == pytest.approx(EXPECTED_SECONDS[name], abs=0.15)
    assert decoded.rms > 0.01  # speech, not silence
    audio_mod.check_audible(decoded)


def test_empty_and_corrupt_files_are_told_apart() -> None:
    with pytest.raises(AudioEmpty):
        audio_mod.decode(b"")
    with pytest.raises(AudioUndecodable):
        audio_mod.decode(b"definitely not audio " * 50)
    with pytest.raises(AudioUndecodable):
        audio_mod.decode(audio("run.ogg")[:200])  # cut inside the header
    with pytest.raises(AudioUndecodable):
        audio_mod.decode(png(8, 8))  # a picture sent as a voice note: no audio stream


def test_silence_is_recognised() -> None:
    decoded = audio_mod.decode(silent_ogg(2.0))
    assert decoded.seconds == pytest.approx(2.0, abs=0.1)
    with pytest.raises(AudioSilent) as caught:
        audio_mod.check_audible(decoded)
    assert "silent" in caught.value.answer


def test_too_long_stops_decoding_early_with_a_kind_answer() -> None:
    with pytest.raises(AudioTooLong) as caught:
        audio_mod.decode(audio("run.ogg"), max_seconds=2)
    assert "5 seconds" in caught.value.answer and "2 seconds" in caught.value.answer
    long = AudioTooLong(900, 600)
    assert "15 minutes" in long.answer and "10 minutes" in long.answer


def test_ogg_opus_out_of_any_format() -> None:
    for name in ("thanks.wav", "weather.mp3"):
        ogg = audio_mod.to_ogg_opus(audio(name))
        assert audio_mod.is_ogg_opus(ogg)
        again = audio_mod.decode(ogg)
        assert again.seconds == pytest.approx(EXPECTED_SECONDS[name], abs=0.1)
    already = audio("run.ogg")
    assert audio_mod.to_ogg_opus(already) is already
    with pytest.raises(AudioUndecodable):
        audio_mod.to_ogg_opus(b"garbage" * 10)


def test_wav_for_transcription_apis_round_trips() -> None:
    decoded = audio_mod.decode(audio("groceries.m4a"))
    wav = audio_mod.to_wav(decoded)
    assert wav[:4] == b"RIFF"
    again = audio_mod.decode(wav)
    assert len(again.samples) == len(decoded.samples)
    assert np.abs(again.samples - decoded.samples).max() < 1e-3


# ---------------------------------------------------------------------- images


def _opened(part_b64: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(part_b64)))


def test_photos_are_downscaled_and_reencoded_as_jpeg() -> None:
    part = prepare_image(png(3000, 2000), max_bytes=10**8, max_pixels=10**8, max_side=1568)
    assert part.mime == "image/jpeg"
    image = _opened(part.data_b64)
    assert image.format == "JPEG" and image.size == (1568, 1045)


def test_transparent_images_are_flattened_on_white() -> None:
    part = prepare_image(
        png(10, 10, "RGBA", (0, 0, 0, 0)), max_bytes=10**6, max_pixels=10**6, max_side=100
    )
    image = _opened(part.data_b64)
    assert image.mode == "RGB" and image.getpixel((5, 5)) == (255, 255, 255)


def test_image_limits_and_bad_images() -> None:
    small = dict(max_bytes=10**6, max_pixels=10**6, max_side=512)
    with pytest.raises(ImageEmpty):
        prepare_image(b"", **small)
    with pytest.raises(FileTooLarge) as too_big:
        prepare_image(png(50, 50), max_bytes=100, max_pixels=10**6, max_side=512)
    assert "MB" in too_big.value.answer
    with pytest.raises(ImageTooManyPixels) as pixels:
        prepare_image(png(2000, 1000), **small)  # 2 MP, small in bytes: a decompression bomb
    assert "2000×1000" in pixels.value.answer
    with pytest.raises(ImageUnreadable):
        prepare_image(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, **small)
    with pytest.raises(ImageUnreadable):
        tiff = io.BytesIO()
        Image.new("RGB", (8, 8)).save(tiff, format="TIFF")
        prepare_image(tiff.getvalue(), **small)  # a format we don't send to models


# ---------------------------------------------------------------------- small pieces


def test_descriptions_are_trimmed_to_a_phrase() -> None:
    assert clean_description("A photo of a red bike.") == "a red bike"
    assert clean_description('"This is a photo of  two cats\non a sofa."') == "two cats on a sofa"
    assert clean_description("") == "something I couldn't make out"
    assert len(clean_description("x" * 1000)) == 300


def test_speech_text_has_no_markdown_marks() -> None:
    assert speakable("**Great** news, see [the plan](http://x.y) and `code`!") == (
        "Great news, see the plan and code!"
    )
    assert speakable("snake_case stays") == "snake_case stays"
    long = "Sentence one. " * 400
    assert len(speakable(long)) <= 4000 and speakable(long).endswith(".")


def test_uncertain_transcripts() -> None:
    assert Transcript("hi", avg_logprob=-1.2).uncertain
    assert Transcript("hi", no_speech_prob=0.9).uncertain
    assert not Transcript("hi", avg_logprob=-0.2, no_speech_prob=0.1).uncertain
    assert not Transcript("hi").uncertain  # the API backend does not say


def test_endpoints_accept_base_or_full_urls() -> None:
    assert endpoint("http://h/v1", "/audio/speech") == "http://h/v1/audio/speech"
    assert endpoint("http://h/v1/audio/speech/", "/audio/speech") == "http://h/v1/audio/speech"


def test_the_chat_key_only_goes_to_its_own_host(tmp_path: Path) -> None:
    from bot.media.transcriber import speech_api_key
    from tests.conftest import make_settings

    local = make_settings(
        tmp_path, model="openai:m", model_base_url="http://10.0.0.5:8000/v1", model_api_key="k1"
    )
    assert speech_api_key(local, "http://10.0.0.5:8000/v1/audio/speech") == "k1"
    assert speech_api_key(local, "https://tts.example.org/v1/audio/speech") is None
    hosted = make_settings(tmp_path, model="openai:gpt-4o-mini", model_api_key="k2")
    assert speech_api_key(hosted, "https://api.openai.com/v1/audio/transcriptions") == "k2"
    assert speech_api_key(hosted, "http://127.0.0.1:9000/v1/audio/speech") is None
    own = make_settings(tmp_path, model="openai:gpt-4o-mini", speech_api_key="k3")
    assert speech_api_key(own, "http://127.0.0.1:9000/v1/audio/speech") == "k3"
    assert "k3" in own.secrets()
