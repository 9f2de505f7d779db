"""Memory poisoning defence: text that tries to plant instructions for the companion
is not stored as a memory. Memories are facts about the person, read as data."""

from __future__ import annotations

import re

_PATTERNS = [
    r"\bignore\b.{0,40}\b(instructions?|rules?|prompts?|guidelines?)\b",
    r"\bdisregard\b.{0,40}\b(instructions?|rules?|prompts?|above|previous)\b",
    r"\bforget\b.{0,20}\b(your|all|previous)\b.{0,20}\b(instructions?|rules?|prompt)\b",
    r"\b(system|developer)\s*(prompt|message|mode|instructions?)\b",
    r"\b(always|never|must)\b.{0,40}\b(reveal|disclose|leak|expose|share)\b",
    r"\breveal\b.{0,40}\b(secret|password|key|token|prompt|instructions?|data)\b",
    r"\b(api|secret)\s*keys?\b|\bpasswords?\b|\bbot\s*tokens?\b",
    r"\byou\s+(are|will be)\s+now\b|\bfrom now on,?\s+(you|the assistant|the companion)\b",
    r"\b(act|behave|respond|answer)\s+as\s+(if|an?|though)\b.{0,40}\b(unrestricted|jailbr|dan\b)",
    r"\bjailbreak|\bprompt injection\b|<\s*/?\s*(system|instructions?)\s*>",
    r"\b(the )?(assistant|companion|bot|ai|model)\s+(must|should|shall|has to)\b",
    r"\bnew instructions?\b|\boverride\b.{0,30}\b(rules?|instructions?|settings?|safety)\b",
    r"\bsend\b.{0,40}\b(other (users?|people)|everyone)\b",
]
_INJECTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE | re.DOTALL)


def looks_like_instructions(text: str) -> bool:
    """True when ``text`` reads as an attempt to steer the companion, not a memory."""
    return bool(_INJECTION.search(text))


class MemoryRejected(ValueError):
    """The text was not stored: empty, too long, or an attempted instruction."""
