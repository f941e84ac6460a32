"""The per-sender send limit: generous for a person, fatal for a loop or a stolen token.

Every message send (by anyone) and every young person's write that a loop could hammer
(check-ins, concerns about where they live, answers to their plan and to local offer pages, the
satisfaction check) counts against two fixed windows per account: ``send_limit_per_minute``
(default 60) and ``send_limit_per_hour`` (default 300). The attempt that reaches either limit
still goes through; after it the account is answered 429 problem+json with ``Retry-After``
until that window ends, and a refused attempt is not counted. A person typing fast sends a
message every few seconds and never meets it; a loop is stopped within a minute, and a stolen
token can put at most 300 messages an hour into a conversation (which keeps them all).
A "need help now" check-in is counted but never refused: it is the one thing that must get
through, whatever came before it.

A retry of a message that was already accepted (the same Idempotency-Key) is never counted or
refused: the phone's outbox must always be able to learn that its message got through.

The counts live in the sign-in throttle's store (``auth/throttle.py``): in Redis when
``PORTAL_REDIS_URL`` is set, so every worker shares them, in-process otherwise; like sign-in,
an unreachable Redis lets sends through rather than silencing every young person.
"""

from __future__ import annotations

import math
import uuid
from typing import Annotated

from fastapi import Depends, Request

from portal_api.auth.dependencies import CurrentActor
from portal_api.auth.throttle import Quota, ThrottleStore
from portal_api.config import Settings
from portal_api.errors import TooManyRequests
from portal_api.models import Role


class SendLimit:
    def __init__(self, store: ThrottleStore, per_minute: int, per_hour: int) -> None:
        self.store = store
        self.quotas = (
            ("minute", Quota(allowed=per_minute, window_seconds=60)),
            ("hour", Quota(allowed=per_hour, window_seconds=3600)),
        )

    @classmethod
    def from_settings(cls, store: ThrottleStore, settings: Settings) -> SendLimit:
        return cls(store, settings.send_limit_per_minute, settings.send_limit_per_hour)

    @staticmethod
    def _key(user_id: uuid.UUID, window: str) -> str:
        return f"send:{user_id}:{window}"

    async def spend(self, user_id: uuid.UUID, *, refuse: bool = True) -> None:
        """Count one send, or refuse it (429, Retry-After) while this account must wait.
        ``refuse=False``: count it but let it through whatever the count ("need help now")."""
        quotas = [(self._key(user_id, window), quota) for window, quota in self.quotas]
        wait = await self.store.spend(quotas, refuse=refuse)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise TooManyRequests(
                f"Too many sent in a short time. Wait {seconds} seconds and try again; "
                "nothing sent before was lost.",
                headers={"Retry-After": str(seconds)},
            )


async def _app_send_limit(request: Request) -> SendLimit:
    limit: SendLimit = request.app.state.send_limit
    return limit


SendLimitDep = Annotated[SendLimit, Depends(_app_send_limit)]


async def _young_person_write(actor: CurrentActor, limit: SendLimitDep) -> None:
    if actor.role is Role.young_person:
        await limit.spend(actor.user.id)


# For a route's ``dependencies=[...]``: counts the young person's write before it runs.
YOUNG_PERSON_WRITE_LIMIT = Depends(_young_person_write)
