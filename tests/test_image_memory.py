"""Photos cost bounded memory, and give it back: four 48-megapixel photos at once
and four 7000x7000 PNGs (190 KB each, 196 MB decoded) through the live preparation
path, each scenario in a fresh process measured by the kernel's peak RSS
(bench/image_memory.py, which prints the same figures for every scenario). Before,
one such PNG took 800 MB and most of it stayed held."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import sys
from pathlib import Path

import pytest
from PIL import Image

from bench.image_memory import solid_png
from bot.media.images import FULL_DECODE_PIXELS, ImageTooLargeToDecode, prepare_image

ROOT = Path(__file__).resolve().parent.parent


async def measure(*scenarios: str) -> list[dict[str, object]]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bench" / "image_memory.py"),
        "--child",
        ",".join(scenarios),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 180)
    assert proc.returncode == 0, err.decode()[-2000:]
    return [json.loads(line) for line in out.decode().strip().splitlines()[-len(scenarios) :]]


@pytest.mark.slow  # a process that makes 48-megapixel images
@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/status")
async def test_photo_memory_is_bounded_and_given_back() -> None:
    photos, bombs = await measure("jpeg48x4", "png7000x4")
    assert photos["outcome"] == ["ImagePart"]  # all four were prepared
    assert float(photos["peak_mb"]) < 150, photos  # type: ignore[arg-type]
    assert float(photos["held_mb"]) < 64, photos  # type: ignore[arg-type]
    assert bombs["outcome"] == ["ImageTooLargeToDecode"]  # a kind answer, not decoded
    assert float(bombs["peak_mb"]) < 64, bombs  # type: ignore[arg-type]


def test_a_big_jpeg_is_decoded_scaled_and_stays_upright() -> None:
    """Decoded at a quarter of its size, and the EXIF rotation still applied."""
    image = Image.new("RGB", (4000, 3000), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, 4000, 1500))  # blue on top, red below
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    part = prepare_image(out.getvalue(), max_bytes=10**8, max_pixels=10**8, max_side=1568)
    upright = Image.open(io.BytesIO(base64.b64decode(part.data_b64)))
    assert upright.size == (1176, 1568)  # portrait once turned
    left, right = upright.getpixel((100, 784)), upright.getpixel((1076, 784))
    assert left[0] > 150 and right[2] > 150  # the red half is now on the left


def test_formats_decoded_whole_have_a_pixel_budget() -> None:
    side = 4097  # one pixel per side over FULL_DECODE_PIXELS
    assert side * side > FULL_DECODE_PIXELS
    with pytest.raises(ImageTooLargeToDecode) as refused:
        prepare_image(solid_png(side, side), max_bytes=10**8, max_pixels=10**8, max_side=1568)
    assert "4097×4097" in refused.value.answer and "as a photo" in refused.value.answer
