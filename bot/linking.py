"""One person across platforms: /link joins a Telegram and a Discord identity into
one person with one memory; /unlink splits them again.

On one platform the person asks for a short one-time code; on the other they send
it. The identity that *sends* the code moves onto the person who *asked* for it, so
the history, goals and settings of the asking side are the ones that continue.
Codes are random (40 bits), kept only as a hash, expire after ten minutes, work
once, and each identity gets a handful of wrong tries per hour, so they cannot be
guessed. The tries are counted against the platform identity (a keyed hash of it, kept
an hour, apart from the person), so /deleteme does not reset them."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bot.commands import Command
from bot.interfaces import Checkins, Merger
from bot.turn import TurnInput
from bot.types import Identity
from memory.links import LinkStore

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to type from a phone
CODE_LENGTH = 8  # 32**8 = 2**40 codes
CODE_TTL = timedelta(minutes=10)
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(hours=1)
PLATFORM_NAMES = {"telegram": "Telegram", "discord": "Discord", "console": "the console"}


def normalize(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    return hashlib.sha256(normalize(code).encode()).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def pretty(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def platform_name(platform: str) -> str:
    return PLATFORM_NAMES.get(platform, platform)


@dataclass
class LinkOutcome:
    ok: bool
    text: str
    person_id: int | None = None
    kept_apart: list[str] = field(default_factory=list)


class LinkService:
    """The linking rules; commands are thin wrappers so tests can drive this directly."""

    def __init__(self, runtime: Runtime, store: LinkStore) -> None:
        self.runtime = runtime
        self.store = store
        # Features register how to combine their data of two people, by the name they
        # gave runtime.personal_data. Data without a merger stays with the old person.
        self.mergers: dict[str, Merger] = {}

    async def issue(self, person_id: int, identity: Identity) -> str:
        now = self.runtime.clock.now()
        await self.store.forget_attempts_before(now - FAILURE_WINDOW)
        code = new_code()
        await self.store.put_code(
            person_id, identity.platform, hash_code(code), now=now, expires_at=now + CODE_TTL
        )
        return code

    async def redeem(self, identity: Identity, person_id: int, code: str) -> LinkOutcome:
        """``identity`` (now on ``person_id``) sends ``code``: move it onto the person
        who asked for the code."""
        now = self.runtime.clock.now()
        if await self.store.failures_since(identity, now - FAILURE_WINDOW) >= MAX_FAILURES:
            return LinkOutcome(
                False,
                "Too many wrong codes. Please wait an hour, then ask for a new code with /link.",
            )
        code_hash = hash_code(code)
        state = await self.store.lookup(code_hash, now=now) if normalize(code) else None
        if state is None or state.used or state.expired:
            await self.store.add_failure(identity, at=now, forget_before=now - FAILURE_WINDOW)
            if state is None:
                problem = "That code doesn't match any I gave out. Check it, or ask for a new one."
            elif state.used:
                problem = (
                    "That code was already used. Send /link on your other account for a new one."
                )
            else:
                problem = "That code has expired. Send /link on your other account for a new one."
            return LinkOutcome(False, problem)
        if state.person_id == person_id:
            return LinkOutcome(False, "That code is from this same account: nothing to link.")
        if state.platform == identity.platform:
            return LinkOutcome(
                False,
                f"That code was made on {platform_name(state.platform)}: send it from your "
                "account on the other platform (Discord if you asked on Telegram, and the "
                "other way round).",
            )
        if not await self.store.use(code_hash, now=now):
            await self.store.add_failure(identity, at=now, forget_before=now - FAILURE_WINDOW)
            return LinkOutcome(False, "That code is no longer valid. Ask for a new one.")
        target = state.person_id
        former = await self.store.move_identity(identity, target)
        kept = await self._merge(former, target)
        await self._reschedule(former, target)
        names = sorted(
            {platform_name(i.platform) for i in await self.runtime.people.identities(target)}
        )
        text = (
            f"Linked: {' and '.join(names)} are now one person to me, with one memory. "
            "Our conversations continue wherever you write. /unlink undoes it."
        )
        if kept:
            text += (
                f" Some things from this account ({', '.join(kept)}) couldn't be combined "
                "automatically; they are kept apart, and /export and /deleteme include them."
            )
        log.info("linked %s identity onto person %s (from %s)", identity.platform, target, former)
        return LinkOutcome(True, text, person_id=target, kept_apart=kept)

    async def _merge(self, former: int, target: int) -> list[str]:
        """Combine the former person into the target; returns what stayed apart."""
        if former == target:
            return []
        await self.store.merge_core(former, target)
        kept: list[str] = []
        for name, export in self.runtime.exporters.items():
            if name == "linking":
                continue
            merger = self.mergers.get(name)
            try:
                if merger is not None:
                    await merger(former, target)
                    continue
                if await export(former):
                    kept.append(name)
            except Exception:
                log.exception("merging %s from person %s failed; kept apart", name, former)
                kept.append(name)
        if kept:
            person = await self.runtime.people.get(target)
            earlier = list((person.settings if person else {}).get("merged_from", []))
            await self.runtime.people.update_settings(target, merged_from=[*earlier, former])
        else:
            await self.runtime.people.erase(former)
        return kept

    async def _reschedule(self, *person_ids: int) -> None:
        """Check-in settings may have moved: let the scheduler rebuild its jobs."""
        checkins: Checkins | None = self.runtime.services.checkins
        if checkins is None:
            return
        for person_id in person_ids:
            try:
                await checkins.reschedule(person_id)
            except Exception:
                log.exception("rescheduling check-ins for person %s failed", person_id)

    async def unlink(self, identity: Identity, person_id: int) -> LinkOutcome:
        others = [
            r
            for r in await self.runtime.people.identities(person_id)
            if (r.platform, r.platform_user_id) != (identity.platform, identity.platform_user_id)
        ]
        if not others:
            return LinkOutcome(False, "This account isn't linked to another one.")
        former, fresh = await self.store.split_off(identity, now=self.runtime.clock.now())
        await self._reschedule(former, fresh)
        rest = sorted({platform_name(r.platform) for r in others})
        return LinkOutcome(
            True,
            f"Unlinked. Here on {platform_name(identity.platform)} we start fresh; what we "
            f"shared so far stays with your {' and '.join(rest)} account.",
            person_id=fresh,
        )

    async def prefer(self, person_id: int, choice: str) -> str:
        choice = choice.strip().lower()
        platforms = {r.platform for r in await self.runtime.people.identities(person_id)}
        if choice in ("recent", "latest", "auto", "none"):
            await self.runtime.people.update_settings(person_id, preferred_platform=None)
            await self.runtime.people.update(person_id, preferred_platform=None)
            return "I'll reach out wherever you wrote to me most recently."
        if choice not in platforms:
            options = ", ".join(sorted(platforms | {"recent"}))
            return f"Choose one of: {options}. For example: /link prefer {sorted(platforms)[0]}"
        await self.runtime.people.update_settings(person_id, preferred_platform=choice)
        await self.runtime.people.update(person_id, preferred_platform=choice)
        return f"I'll send check-ins and reminders on {platform_name(choice)} first."

    # ------------------------------------------------------------------ personal data

    async def export(self, person_id: int) -> dict[str, Any]:
        person = await self.runtime.people.get(person_id)
        kept = {
            str(old): await self.runtime.export_person(old)
            for old in (person.settings if person else {}).get("merged_from", [])
        }
        return {"codes": await self.store.export(person_id), "kept_from_linked_accounts": kept}

    async def erase(self, person_id: int) -> None:
        person = await self.runtime.people.get(person_id)
        for old in (person.settings if person else {}).get("merged_from", []):
            await self.runtime.erase_person(int(old))
        # Failed /link attempts are not erased: they name no one (a keyed hash of
        # the identity) and expire within the hour, and erasing oneself must not
        # reset the count that keeps codes from being guessed.
        await self.store.erase(person_id)


# Needs nothing; the features that keep personal data need it first (for their mergers).
NEEDS: tuple[str, ...] = ()


async def install(runtime: Runtime) -> None:
    service = LinkService(runtime, LinkStore(runtime.db))
    runtime.services.linking = service
    runtime.personal_data("linking", export=service.export, erase=service.erase)

    async def link(turn: TurnInput, args: str) -> str:
        identity = turn.message.identity
        words = args.split()
        if words and words[0].lower() == "prefer":
            return await service.prefer(turn.person.id, " ".join(words[1:]))
        if args.strip():
            outcome = await service.redeem(identity, turn.person.id, args)
            return outcome.text
        code = await service.issue(turn.person.id, identity)
        minutes = int(CODE_TTL.total_seconds() // 60)
        return (
            f"Your link code: **{pretty(code)}**\n\n"
            f"On your other platform (Telegram or Discord), send me: `/link {pretty(code)}`\n"
            f"It works once, for {minutes} minutes. Never send it to anyone else: whoever "
            "uses it joins their account to yours."
        )

    async def unlink(turn: TurnInput, _args: str) -> str:
        return (await service.unlink(turn.message.identity, turn.person.id)).text

    runtime.companion.commands.add(
        Command(
            "link",
            "be one person on Telegram and Discord (one memory); /link prefer <platform>",
            link,
            usage="[code | prefer telegram|discord|recent]",
            private_only=True,
        )
    )
    runtime.companion.commands.add(
        Command(
            "unlink",
            "separate this account from your other platform again",
            unlink,
            private_only=True,
        )
    )
