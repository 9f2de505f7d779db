"""Tools the chat model may call. Each tool runs with a context that fixes the
person outside the model's control: the model picks arguments, never whose data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from bot.turn import TurnInput


@dataclass(frozen=True, slots=True)
class ToolContext:
    person_id: int
    turn: TurnInput


ToolFunc = Callable[[ToolContext, Any], Awaitable[str]]


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    description: str
    args: type[BaseModel]
    run: ToolFunc
    private_only: bool = True  # tools that touch personal data stay out of group chats

    def schema(self) -> dict[str, Any]:
        params = self.args.model_json_schema()
        params.pop("title", None)
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": params},
        }


class ToolRegistry:
    def __init__(self) -> None:
        self._tools: dict[str, Tool] = {}
        self._schemas: dict[str, dict[str, Any]] = {}
        self.version = 0  # changes whenever the set of tools does

    def add(self, tool: Tool) -> None:
        if tool.name in self._tools:
            raise ValueError(f"tool {tool.name!r} registered twice")
        self._tools[tool.name] = tool
        self.version += 1

    def schemas(self, *, private: bool) -> list[dict[str, Any]]:
        return [self._schema(t) for t in self.available(private=private)]

    def _schema(self, tool: Tool) -> dict[str, Any]:
        """Built once, at the first turn that offers it: pydantic's is slow, and a
        start that only answers commands never needs it."""
        schema = self._schemas.get(tool.name)
        if schema is None:
            schema = self._schemas[tool.name] = tool.schema()
        return schema

    def available(self, *, private: bool) -> list[Tool]:
        return [t for t in self._tools.values() if private or not t.private_only]

    async def call(self, name: str, raw_args: dict[str, Any], ctx: ToolContext) -> str:
        """Run a tool call from the model. Errors become text the model can read and
        recover from; they never escape into the conversation loop."""
        tool = self._tools.get(name)
        if tool is None or (tool.private_only and not ctx.turn.private):
            return f"error: there is no tool named {name!r}"
        try:
            args = tool.args.model_validate(raw_args or {})
        except ValidationError as exc:
            return f"error: bad arguments for {name}: {exc.errors(include_url=False)}"
        try:
            return await tool.run(ctx, args)
        except Exception as exc:  # a tool bug must not cost the person their reply
            return f"error: {name} failed: {type(exc).__name__}: {exc}"
