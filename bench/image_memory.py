"""Memory of photo preparation: the peak while photos are prepared, and what stays
held afterwards, through the live path (MediaPreprocessor with default settings:
attachment fetched, checked, decoded, shrunk, re-encoded).

    python bench/image_memory.py                  # every scenario, 3 runs each
    python bench/image_memory.py jpeg48x4 --runs 1

Each run is a fresh process: it makes its images, frees and trims what that cost,
resets the kernel's peak counter (/proc/self/clear_refs), then sends all of the
scenario's photos at once (asyncio.gather, as several people would). Printed per
scenario: peak RSS above the baseline and RSS held 0.2 s after (MB; medians and p95
over runs), and seconds per photo. Linux only (it reads /proc/self/status).

The last line is ``worst_peak_mb=<n> worst_held_mb=<n>`` over every run."""

from __future__ import annotations

import argparse
import asyncio
import gc
import io
import json
import statistics
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# name: (format, width, height, mode, how many at once)
SCENARIOS = {
    "png7000x1": ("PNG", 7000, 7000, "RGBA", 1),  # the audit's small-file bomb
    "png7000x4": ("PNG", 7000, 7000, "RGBA", 4),
    "jpeg48x4": ("JPEG", 8000, 6000, "RGB", 4),  # 48-megapixel phone photos
    "png16x4": ("PNG", 4096, 4096, "RGBA", 4),  # the largest PNG decoded whole
}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def status_mb(key: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    raise KeyError(key)


def reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets VmHWM, the peak resident set


def make(fmt: str, width: int, height: int, mode: str) -> bytes:
    if fmt == "PNG" and mode == "RGBA":
        return solid_png(width, height)
    from PIL import Image

    image = Image.new(mode, (width, height), (10, 200, 30))
    for x in range(0, width, 97):  # a little detail, so the encoder has work
        image.putpixel((x, x % height), (250, 20, 20))
    out = io.BytesIO()
    image.save(out, format=fmt, quality=85)
    return out.getvalue()


def solid_png(width: int, height: int) -> bytes:
    """An RGBA PNG of one colour, written row by row: small on disk, huge decoded,
    made without ever holding the decoded picture."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    row = b"\x00" + bytes((10, 200, 30, 128)) * width  # filter byte 0, then pixels
    deflate = zlib.compressobj(1)
    body = b"".join(deflate.compress(row) for _ in range(height)) + deflate.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


async def child(name: str) -> dict[str, object]:
    from bot.config import Settings
    from bot.media.images import _trim_heap
    from bot.media.preprocess import MediaPreprocessor
    from bot.types import Attachment, AttachmentKind

    fmt, width, height, mode, count = SCENARIOS[name]
    data = make(fmt, width, height, mode)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    preprocessor = MediaPreprocessor(settings, None, None, None)  # type: ignore[arg-type]

    async def fetch() -> bytes:
        return data

    attachment = Attachment(
        AttachmentKind.IMAGE, mime=f"image/{fmt.lower()}", size=len(data), fetcher=fetch
    )
    gc.collect()
    _trim_heap()
    reset_peak()
    base = status_mb("VmRSS")
    started = time.perf_counter()
    results = await asyncio.gather(
        *(preprocessor._prepare(attachment) for _ in range(count)), return_exceptions=True
    )
    seconds = time.perf_counter() - started
    peak = status_mb("VmHWM")
    await asyncio.sleep(0.2)
    held = status_mb("VmRSS")
    return {
        "scenario": name,
        "file_kb": len(data) // 1024,
        "peak_mb": round(peak - base, 1),
        "held_mb": round(held - base, 1),
        "seconds_per_photo": seconds / count,
        "outcome": sorted({type(r).__name__ for r in results}),
    }


def run_once(name: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", name],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", default=list(SCENARIOS))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # one process may measure several scenarios, one after the other
        for name in args.child.split(","):
            print(json.dumps(asyncio.run(child(name))), flush=True)
        return
    worst_peak = worst_held = 0.0
    print("scenario   file    peak MB (median/p95)  held MB (median/p95)  s/photo  outcome")
    for name in args.scenarios:
        runs = [run_once(name) for _ in range(args.runs)]
        peaks = [float(r["peak_mb"]) for r in runs]  # type: ignore[arg-type]
        helds = [float(r["held_mb"]) for r in runs]  # type: ignore[arg-type]
        per_photo = [float(r["seconds_per_photo"]) for r in runs]  # type: ignore[arg-type]
        worst_peak, worst_held = max(worst_peak, *peaks), max(worst_held, *helds)
        print(
            f"{name:10} {runs[0]['file_kb']:>5} KB  "
            f"{statistics.median(peaks):7.0f} / {p95(peaks):<7.0f}       "
            f"{statistics.median(helds):6.0f} / {p95(helds):<6.0f}       "
            f"{statistics.median(per_photo):6.2f}   {','.join(runs[0]['outcome'])}"  # type: ignore[arg-type]
        )
    print(f"worst_peak_mb={worst_peak:.0f} worst_held_mb={worst_held:.0f}")


if __name__ == "__main__":
    main()
