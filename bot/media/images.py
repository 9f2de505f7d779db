"""Photos checked before any model sees them (size, pixels, format), then
downscaled and re-encoded as JPEG: smaller uploads, no metadata (EXIF location)
sent on, and one format every vision model reads.

Memory is bounded, not just pixels. A 190 KB PNG of 7000x7000 decodes to 196 MB,
and each whole-image step (rotate, convert, flatten) used to copy it: one such photo
took 800 MB, four at once 3.5 GB, and glibc kept most of it afterwards. Now:
- JPEG (what phones and Telegram send) is decoded already scaled down: the decoder
  reads at 1/2, 1/4 or 1/8 size (Pillow's ``draft``), so a 48-megapixel photo is
  never held whole;
- other formats have no such decoder, so they are decoded whole only up to
  ``FULL_DECODE_PIXELS``, and larger ones get a kind answer;
- the picture is shrunk first and every later step works on the small copy;
- one image is prepared at a time, on one thread (``prepare_in_worker``), and the
  C heap is trimmed afterwards, so the memory goes back to the system."""

from __future__ import annotations

import asyncio
import base64
import ctypes
import ctypes.util
import functools
import io
import logging
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import cast

from PIL import Image, ImageOps, UnidentifiedImageError

from bot.media.problems import FileTooLarge, ImageTooManyPixels, ImageUnreadable, MediaProblem
from bot.turn import ImagePart

log = logging.getLogger(__name__)

FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}  # MPO: what many phones call JPEG
SCALED_DECODE = {"JPEG", "MPO"}  # decoded at 1/2, 1/4 or 1/8 size when that is enough
# Decoded whole: 16.7 megapixels is 64 MB as RGBA (4096x4096). Screenshots fit easily.
FULL_DECODE_PIXELS = 4096 * 4096


class ImageEmpty(MediaProblem):
    answer = "That photo came through empty. Could you send it again?"


class ImageTooLargeToDecode(ImageTooManyPixels):
    def __init__(self, width: int, height: int) -> None:
        super().__init__(width, height)
        self.answer = (
            f"That image is {width}×{height} pixels, too big for me to open in this "
            "format. Could you send it as a photo (compressed), or a smaller version?"
        )


def prepare_image(
    data: bytes, *, max_bytes: int, max_pixels: int, max_side: int, quality: int = 85
) -> ImagePart:
    if not data:
        raise ImageEmpty()
    if len(data) > max_bytes:
        raise FileTooLarge("photo", len(data), max_bytes)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked below
            image: Image.Image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise ImageUnreadable(detail=f"format {image.format}")
            width, height = image.size
            if width * height > max_pixels:
                raise ImageTooManyPixels(width, height)
            if image.format not in SCALED_DECODE and width * height > FULL_DECODE_PIXELS:
                raise ImageTooLargeToDecode(width, height)
            if image.format in SCALED_DECODE:
                # The decoder scales by 1/2, 1/4 or 1/8 while it decodes, to no less
                # than the size we send. (thumbnail() asks for a square twice that
                # size, which leaves a 4:3 photo whole.)
                image.draft("RGB" if image.mode == "RGB" else None, _fitted(image.size, max_side))
            if image.mode in ("P", "1"):
                image.load()
                image = image.convert("RGBA")  # palettes resize badly; this one is bounded
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    except MediaProblem:
        raise
    except Image.DecompressionBombError as exc:  # beyond even Pillow's hard limit
        raise ImageTooManyPixels() from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ImageUnreadable(detail=str(exc)) from exc
    upright = _flatten(ImageOps.exif_transpose(image) or image)
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=quality, optimize=True)
    return ImagePart(mime="image/jpeg", data_b64=base64.b64encode(out.getvalue()).decode("ascii"))


def _fitted(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """``size`` scaled to fit ``max_side`` on its longer side (never enlarged)."""
    width, height = size
    ratio = min(1.0, max_side / max(width, height, 1))
    return max(1, round(width * ratio)), max(1, round(height * ratio))


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: transparency and palettes become plain colours."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


# ---------------------------------------------------------------------- one at a time

# One image at a time per process, always on the same thread: image work needs tens
# of MB at its peak, and glibc gives each thread its own heap arena, so spreading it
# over the default pool's threads multiplied what stayed held.
_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="companion-images")


async def prepare_in_worker(
    data: bytes, *, max_bytes: int, max_pixels: int, max_side: int
) -> ImagePart:
    """``prepare_image`` on the image thread, queued behind any image before it."""
    work = functools.partial(
        _prepare_and_give_back,
        data,
        max_bytes=max_bytes,
        max_pixels=max_pixels,
        max_side=max_side,
    )
    return await asyncio.get_running_loop().run_in_executor(_WORKER, work)


def _prepare_and_give_back(
    data: bytes, *, max_bytes: int, max_pixels: int, max_side: int
) -> ImagePart:
    try:
        return prepare_image(data, max_bytes=max_bytes, max_pixels=max_pixels, max_side=max_side)
    finally:
        _trim_heap()


def _load_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, where there is one (not on musl, macOS or Windows)."""
    name = ctypes.util.find_library("c")
    try:
        trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None
    return cast("Callable[[int], int] | None", trim)


_MALLOC_TRIM = _load_trim()


def _trim_heap() -> None:
    """Hand freed heap memory back to the system. Pillow frees its pixel blocks, but
    glibc keeps freed blocks under its 32 MB mmap threshold in the arena for reuse."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
