"""Push subscriptions: a browser's endpoint, accepted only at the browsers' push services (the
portal's allow-list), and never another account's."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.actor import Actor
from portal_api.errors import Forbidden, InvalidInput
from portal_api.messaging.schemas import PushSubscriptionIn
from portal_api.models import PushSubscription

# --- push subscriptions ----------------------------------------------------------------------


def check_push_endpoint(endpoint: str, allowed_hosts: Sequence[str]) -> None:
    """A push endpoint is an https URL at one of the browsers' push services, by name: never an
    address literal, a port of its own or credentials, which could point the worker anywhere."""
    field = "body.endpoint"
    try:
        url = urlsplit(endpoint)
        port = url.port
    except ValueError:
        raise InvalidInput(field, "is not a URL") from None
    host = (url.hostname or "").rstrip(".").lower()
    if url.scheme != "https" or not host:
        raise InvalidInput(field, "must be an https URL from the browser's push service")
    if url.username is not None or url.password is not None or port not in (None, 443):
        raise InvalidInput(field, "must not carry credentials or a port of its own")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        raise InvalidInput(field, "must name a push service, not an address")
    if not any(_host_matches(host, allowed.lower()) for allowed in allowed_hosts):
        raise InvalidInput(field, f"{host} is not a browser push service this portal sends to")


def _host_matches(host: str, allowed: str) -> bool:
    if allowed.startswith("*."):
        return host.endswith(allowed[1:])  # any subdomain, not the bare domain
    return host == allowed


async def add_push_subscription(
    session: AsyncSession,
    actor: Actor,
    body: PushSubscriptionIn,
    allowed_hosts: Sequence[str],
    *,
    session_token_hash: str | None = None,
) -> None:
    """Remember this browser's push endpoint for the actor (once; never another account's),
    tied to the session that asked: signing that session out stops the notices. The endpoint
    must be at a browser push service (the portal's allow-list)."""
    check_push_endpoint(body.endpoint, allowed_hosts)
    existing = await session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint == body.endpoint)
    )
    if existing is not None and existing.user_id != actor.user.id:
        raise Forbidden("That push subscription belongs to another account; subscribe again.")
    if existing is None:
        session.add(
            PushSubscription(
                user_id=actor.user.id, access_token_hash=session_token_hash, **body.model_dump()
            )
        )
    else:
        # The same phone signed in again: it now belongs to the new session, with fresh keys.
        existing.access_token_hash = session_token_hash
        existing.p256dh, existing.auth = body.p256dh, body.auth


async def remove_push_subscription(session: AsyncSession, actor: Actor, endpoint: str) -> None:
    """Forget this endpoint for the actor. Idempotent, and the same answer for an endpoint that
    was never theirs: nobody learns whose another endpoint is."""
    await session.execute(
        delete(PushSubscription).where(
            PushSubscription.endpoint == endpoint, PushSubscription.user_id == actor.user.id
        )
    )
