"""HTML from templates. Autoescaping is on for every template, so whatever a person
(or the model) wrote shows as text: a memory holding ``<script>`` is just words."""

from __future__ import annotations

import base64
import json
from functools import cache
from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, StrictUndefined

HERE = Path(__file__).parent
NAV = (
    ("memories", "/memories", "Memories"),
    ("goals", "/goals", "Goals"),
    ("reminders", "/reminders", "Reminders"),
    ("conversation", "/conversation", "Conversation"),
    ("data", "/data", "Your data"),
)


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=StrictUndefined,  # a misspelt name fails loudly in the tests
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["nav"] = NAV
    return env


@cache
def stylesheet() -> bytes:
    return (HERE / "static" / "style.css").read_bytes()


def html(name: str, *, status: int = 200, **context: Any) -> web.Response:
    context.setdefault("visitor", None)
    context.setdefault("csrf", "")
    context.setdefault("active", "")
    context.setdefault("flash", None)
    body = environment().get_template(name).render(**context)
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")


def encode_flash(ok: bool, lines: list[str]) -> str:
    """A one-time note for the next page (a cookie: our own pages alone set it)."""
    raw = json.dumps({"ok": ok, "lines": [line[:300] for line in lines[:6]]})
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_flash(value: str | None) -> dict[str, Any] | None:
    if not value:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(value.encode()))
        lines = [str(line) for line in data["lines"]]
        return {"ok": bool(data["ok"]), "lines": lines}
    except (ValueError, KeyError, TypeError):
        return None
