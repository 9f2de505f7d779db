"""Proactive sends: to the channel the person chose, else the one they used last."""

from __future__ import annotations

import logging

from bot.channel import Channel, DeliveryError
from bot.types import Identity, OutgoingMessage
from memory.people import PeopleStore

log = logging.getLogger(__name__)


class Outbox:
    def __init__(self, people: PeopleStore) -> None:
        self.people = people
        self.channels: dict[str, Channel] = {}

    def register(self, channel: Channel) -> None:
        self.channels[channel.platform] = channel

    async def targets(self, person_id: int) -> list[Identity]:
        """Reachable identities in the order to try: preferred first, then most recent."""
        person = await self.people.get(person_id)
        rows = [
            r
            for r in await self.people.identities(person_id)
            if not r.unreachable and r.platform in self.channels
        ]
        preferred = person.settings.get("preferred_platform") if person else None
        rows.sort(key=lambda r: r.platform != preferred)  # stable: recency order kept
        return [Identity(r.platform, r.platform_user_id) for r in rows]

    async def deliver(self, person_id: int, message: OutgoingMessage) -> Identity | None:
        """Send to the first channel that takes it. A blocked channel is marked
        unreachable (until the person writes again) and the next one is tried."""
        for identity in await self.targets(person_id):
            try:
                await self.channels[identity.platform].send(identity, message)
                return identity
            except DeliveryError as exc:
                if exc.permanent:
                    log.info("person %s unreachable on %s", person_id, identity.platform)
                    await self.people.set_unreachable(identity)
                    continue
                raise
        return None
