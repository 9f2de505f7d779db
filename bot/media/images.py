"""Photos checked before any model sees them (size, pixels, format), then
downscaled and re-encoded as JPEG: smaller uploads, no metadata (EXIF location)
sent on, and one format every vision model reads."""

from __future__ import annotations

import base64
import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from bot.media.problems import FileTooLarge, ImageTooManyPixels, ImageUnreadable, MediaProblem
from bot.turn import ImagePart

FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}  # MPO: what many phones call JPEG


class ImageEmpty(MediaProblem):
    answer = "That photo came through empty. Could you send it again?"


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
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise ImageUnreadable(detail=f"format {image.format}")
            width, height = image.size
            if width * height > max_pixels:
                raise ImageTooManyPixels(width, height)
            image.load()
    except MediaProblem:
        raise
    except Image.DecompressionBombError as exc:  # beyond even Pillow's hard limit
        raise ImageTooManyPixels() from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ImageUnreadable(detail=str(exc)) from exc
    upright = _flatten(ImageOps.exif_transpose(image) or image)
    upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=quality, optimize=True)
    return ImagePart(mime="image/jpeg", data_b64=base64.b64encode(out.getvalue()).decode("ascii"))


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: transparency and palettes become plain colours."""
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image
