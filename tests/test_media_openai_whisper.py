"""The openai-whisper backend's plumbing. No openai-whisper checkpoint can be
downloaded here, so the test builds a tiny, randomly initialised model in
whisper's own checkpoint format: loading, decoding our 16 kHz samples and reading
the result all run for real; the words it "hears" are noise, and not checked.
Accuracy is tested on faster-whisper with real tiny.en weights. Skipped where
PyTorch or openai-whisper are not installed (they are an optional extra), except
under CI, which installs them (.ci/run)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from bot.media.audio import decode
from bot.media.hearing import Hearing
from bot.media.openai_whisper_backend import OpenAIWhisperTranscriber
from bot.media.problems import HearingUnavailable
from bot.media.transcriber import Transcript, build_transcriber
from tests.conftest import make_settings
from tests.media_support import audio


def tiny_random_checkpoint(folder: Path) -> Path:
    if os.environ.get("CI"):  # .ci/run installs them: missing there is a failure
        import torch
        import whisper  # noqa: F401
    else:
        torch = pytest.importorskip("torch")
        pytest.importorskip("whisper")
    from whisper.model import ModelDimensions, Whisper

    torch.manual_seed(0)
    dims = ModelDimensions(
        n_mels=80,
        n_audio_ctx=1500,
        n_audio_state=32,
        n_audio_head=2,
        n_audio_layer=1,
        n_vocab=51864,  # the English-only vocabulary, as tiny.en has
        n_text_ctx=64,  # short: the random model decodes 32 tokens, not 224
        n_text_state=32,
        n_text_head=2,
        n_text_layer=1,
    )
    model = Whisper(dims)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "tiny-random.pt"
    torch.save({"dims": dims.__dict__, "model_state_dict": model.state_dict()}, path)
    return path


@pytest.mark.slow
def test_a_whisper_checkpoint_loads_and_transcribes(tmp_path: Path) -> None:
    checkpoint = tiny_random_checkpoint(tmp_path / "model")
    settings = make_settings(
        tmp_path,
        whisper_backend="openai-whisper",
        whisper_model=str(checkpoint.parent),  # a folder holding one .pt works too
    )
    transcriber = build_transcriber(settings)
    assert isinstance(transcriber, OpenAIWhisperTranscriber)
    result = transcriber.transcribe(decode(audio("thanks.wav")).samples, "en")
    assert isinstance(result, Transcript) and isinstance(result.text, str)
    assert result.language == "en"
    assert transcriber.load() is transcriber.load()  # loaded once


async def test_missing_openai_whisper_is_a_kind_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "whisper", None)  # as if the extra were not installed
    settings = make_settings(tmp_path, whisper_backend="openai-whisper", whisper_model="base")
    with pytest.raises(HearingUnavailable) as caught:
        await Hearing(settings).transcribe(audio("thanks.wav"))
    assert "can't listen" in caught.value.answer
    with pytest.raises(RuntimeError, match=r"companion\[openai-whisper\]"):
        OpenAIWhisperTranscriber("base", download_root=tmp_path).load()
