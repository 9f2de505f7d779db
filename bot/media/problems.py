"""What can go wrong with a voice note or a photo, each with the kind, plain answer
the person gets. The bot keeps running; the person always hears why."""

from __future__ import annotations


class MediaProblem(Exception):
    """A problem the person should hear about. ``answer`` is what we tell them."""

    answer = "Sorry, I couldn't use that file."

    def __init__(self, answer: str | None = None, detail: str = "") -> None:
        if answer is not None:
            self.answer = answer
        super().__init__(detail or self.answer)


class AudioTooLong(MediaProblem):
    def __init__(self, seconds: float, limit: float) -> None:
        super().__init__(
            f"That voice note is {_minutes(seconds)} long; I can listen to up to "
            f"{_minutes(limit)}. Could you send a shorter one, or split it in parts?"
        )


class FileTooLarge(MediaProblem):
    def __init__(self, what: str, size: int | None, limit: int) -> None:
        # Size unknown: the download was stopped once it passed the limit.
        how_big = f"{_megabytes(size)}, more" if size is not None else "more"
        super().__init__(
            f"That {what} is {how_big} than the {_megabytes(limit)} I can take. "
            "Could you send a smaller one?"
        )


class AudioUndecodable(MediaProblem):
    answer = (
        "I couldn't play that audio file: it seems damaged or in a format I don't know. "
        "A voice note, MP3, M4A or WAV works."
    )


class AudioEmpty(MediaProblem):
    answer = "That voice note came through empty. Could you record it again?"


class AudioSilent(MediaProblem):
    answer = "That voice note is silent on my end: I couldn't hear anything. Try again?"


class NoSpeech(MediaProblem):
    answer = "I listened, but couldn't make out any words. Could you try again, or type it?"


class HearingUnavailable(MediaProblem):
    answer = (
        "I can't listen to voice notes right now: my speech recognition isn't working "
        "on this server. Could you type it instead?"
    )


class ImageUnreadable(MediaProblem):
    answer = (
        "I couldn't open that image: it seems damaged or in a format I don't know. "
        "JPEG, PNG, WebP or GIF work."
    )


class ImageTooManyPixels(MediaProblem):
    def __init__(self, width: int = 0, height: int = 0) -> None:
        size = f" ({width}×{height} pixels)" if width and height else ""
        super().__init__(
            f"That image is huge{size}, too big for me to look at. "
            "Could you send a smaller version or a screenshot?"
        )


def _minutes(seconds: float) -> str:
    if seconds < 90:
        return f"{round(seconds)} seconds"
    return f"{seconds / 60:.0f} minutes" if seconds % 60 < 1 else f"{seconds / 60:.1f} minutes"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size < 10 * 1024 * 1024 else f"{size // 2**20} MB"
