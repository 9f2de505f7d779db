"""Seeing: a vision-capable chat model looks at a photo and says, in a short
phrase, what is in it. That phrase goes into the turn text (so history keeps
it) and into long-term memory.

How vision is known: COMPANION_VISION_MODEL names a model that can see. When it is
the chat model itself (COMPANION_VISION_MODEL = COMPANION_MODEL), the photo is also
attached to the conversation turn, so the model answers looking at it. When it is
another model, that one describes the photo and the chat model reads the
description. Unset: no vision, and the person is told how to turn it on."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.llm import build_chat_model, classify_error
from bot.turn import ImagePart

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

DESCRIBE_PROMPT = (
    "You describe photos for a personal companion's memory. Answer with one short noun "
    "phrase that completes 'a photo of ...': what is in it and the details that matter "
    "(objects, colours, place, activity, readable text). Do not guess who people are. "
    "No full sentence, no preamble."
)

HOW_TO_SEE = (
    "To let me see photos, set COMPANION_VISION_MODEL to a model that understands images, "
    "e.g. `openai:gpt-4o-mini` (the same name as COMPANION_MODEL if your chat model can "
    "see), then restart me."
)


class Seeing:
    def __init__(self, settings: Settings, chat_model: BaseChatModel | None) -> None:
        self.settings = settings
        name = (settings.vision_model or "").strip() or None
        self.model_name = name
        self.direct = name is not None and name == settings.model and chat_model is not None
        self.error: str | None = None
        self.model: BaseChatModel | None = None
        if name is None:
            return
        if self.direct:
            self.model = chat_model
            return
        try:
            self.model = build_chat_model(settings, name=name)
        except Exception as exc:  # a bad name, a missing provider package
            self.error = f"the vision model {name} could not be loaded ({exc})"

    @property
    def available(self) -> bool:
        return self.model is not None

    def unavailable_text(self) -> str:
        why = self.error or "no vision model is configured"
        return f"I can't see photos with my current setup ({why}). " + HOW_TO_SEE

    async def describe(self, image: ImagePart, caption: str = "") -> str:
        """A short phrase for what the photo shows. Raises ModelFailed."""
        from langchain_core.messages import HumanMessage, SystemMessage  # not needed at start

        assert self.model is not None
        blocks: list[Any] = [
            {"type": "text", "text": f"The person wrote with it: {caption}" if caption else "-"},
            {
                "type": "image_url",
                "image_url": {"url": f"data:{image.mime};base64,{image.data_b64}"},
            },
        ]
        messages = [SystemMessage(content=DESCRIBE_PROMPT), HumanMessage(content=blocks)]
        try:
            result = await asyncio.wait_for(
                self.model.ainvoke(messages), timeout=self.settings.model_timeout + 5
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            raise classify_error(exc) from exc
        return clean_description(_text(result.content))


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)


LEADS = ("this is a photo of ", "a photo of ", "photo of ", "an image of ", "a picture of ")


def clean_description(text: str) -> str:
    """'A photo of a red bike.' -> 'a red bike'; one line, at most 300 characters."""
    text = " ".join(text.split()).strip().strip("\"'“”")
    for lead in LEADS:
        if text.lower().startswith(lead):
            text = text[len(lead) :]
            break
    text = text.rstrip(".").strip()
    return (text[:297] + "...") if len(text) > 300 else (text or "something I couldn't make out")
