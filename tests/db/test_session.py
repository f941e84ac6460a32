"""The request's session: when a request fails, its transaction is rolled back and its
connection is back in the pool before the answer goes out (not later, when the garbage
collector happens to finish the session off)."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.factories import World


async def test_refused_request_hands_its_connection_back_before_answering(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    # Signing in reads the session (a connection is checked out); the role check then refuses.
    response = await client.get("/api/v1/messages/flagged", headers=world.auth("young_person"))

    assert response.status_code == 403
    assert engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined,unused-ignore]


async def test_not_found_hands_its_connection_back_before_answering(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    # Raised inside the handler, after the record was looked for.
    young_person = world.young_people["other_org"]
    response = await client.get(f"/api/v1/young-people/{young_person}", headers=world.auth("pa"))

    assert response.status_code == 404
    assert engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined,unused-ignore]
