"""Unsubscribing a browser from push notices (subscribing is in ``service``, beside the
endpoint checks)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.actor import Actor
from portal_api.models import PushSubscription


async def remove_push_subscription(session: AsyncSession, actor: Actor, endpoint: str) -> None:
    """Forget this endpoint for the actor. Idempotent, and the same answer for an endpoint that
    was never theirs: nobody learns whose another endpoint is."""
    await session.execute(
        delete(PushSubscription).where(
            PushSubscription.endpoint == endpoint, PushSubscription.user_id == actor.user.id
        )
    )
