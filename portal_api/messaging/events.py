"""Live events (new messages, read receipts) for connected phones and consoles.

In-process by default; with ``PORTAL_REDIS_URL`` set, events go through Redis pub/sub so that a
young person on one API worker and their PA on another see each other at once. Events carry ids
and who may see them; every subscriber filters by its own scope before sending anything on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

import redis.asyncio as redis
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.db.session import after_commit

logger = logging.getLogger(__name__)
QUEUE_SIZE = 256


class EventBroker(Protocol):
    async def publish(self, org_id: uuid.UUID, event: dict[str, Any]) -> None: ...

    def subscribe(self, org_id: uuid.UUID) -> AsyncIterator[dict[str, Any]]: ...

    async def close(self) -> None: ...


class LocalBroker:
    """One process: a queue per subscriber. A subscriber that falls behind loses its oldest
    events rather than slowing everyone else (the app catches up with ?after= on reconnect)."""

    def __init__(self) -> None:
        self._subscribers: dict[uuid.UUID, set[asyncio.Queue[dict[str, Any]]]] = {}

    async def publish(self, org_id: uuid.UUID, event: dict[str, Any]) -> None:
        for queue in list(self._subscribers.get(org_id, ())):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(event)

    async def subscribe(self, org_id: uuid.UUID) -> AsyncIterator[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_SIZE)
        self._subscribers.setdefault(org_id, set()).add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._subscribers[org_id].discard(queue)

    async def close(self) -> None:
        self._subscribers.clear()


class RedisBroker:
    """Several workers: Redis pub/sub, one channel per organisation."""

    def __init__(self, url: str) -> None:
        self._redis = redis.from_url(url, decode_responses=True)

    @staticmethod
    def _channel(org_id: uuid.UUID) -> str:
        return f"portal:events:{org_id}"

    async def publish(self, org_id: uuid.UUID, event: dict[str, Any]) -> None:
        await self._redis.publish(self._channel(org_id), json.dumps(event, default=str))

    async def subscribe(self, org_id: uuid.UUID) -> AsyncIterator[dict[str, Any]]:
        async with self._pubsub(org_id) as pubsub:
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    yield json.loads(message["data"])

    @asynccontextmanager
    async def _pubsub(self, org_id: uuid.UUID) -> AsyncIterator[Any]:
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(self._channel(org_id))
        try:
            yield pubsub
        finally:
            await pubsub.unsubscribe(self._channel(org_id))
            await pubsub.aclose()  # type: ignore[no-untyped-call,unused-ignore]

    async def close(self) -> None:
        await self._redis.aclose()


def make_broker(redis_url: str | None) -> EventBroker:
    return RedisBroker(redis_url) if redis_url else LocalBroker()


@dataclass(frozen=True)
class Live:
    """Where news of a change goes once it is committed: phones and consoles, and the worker;
    and how long a conversation left unread waits before its next "new message" notice."""

    broker: EventBroker
    wake: asyncio.Event
    notice_quiet: timedelta = timedelta(minutes=15)


def publish_later(
    session: AsyncSession, live: Live, event: dict[str, Any], org_id: uuid.UUID
) -> None:
    """Publish once the transaction commits: nobody hears of a change that was rolled back."""

    async def publish() -> None:
        await live.broker.publish(org_id, event)
        live.wake.set()

    after_commit(session, publish)
