"""The local offer's reader query is built once per process for a young person's own record, with
who they are as bound parameters (people.facts.own_record_select): nothing of the first reader may
stick to it. Each young person sees their own council's pages and their own responses, at once."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.content import service
from tests.factories import World, other_council_young_person_token

LOCAL_OFFER = "/api/v1/local-offer"


async def _items(client: httpx.AsyncClient, token: str) -> dict[str, dict[str, Any]]:
    response = await client.get(LOCAL_OFFER, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return {item["slug"]: item for item in response.json()["items"]}


async def test_each_young_person_gets_their_own_council_and_responses_at_once(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with sessionmaker() as session:  # an account for the young person in Westshire
        westshire = await other_council_young_person_token(session, world)
        await session.commit()
    service._own_reader_select.cache_clear()  # built first for the Westshire young person

    theirs = await _items(client, westshire)
    responded = await client.post(
        f"{LOCAL_OFFER}/your-rights/responses",
        headers=world.auth("young_person"),
        json={"response": "understood"},
    )
    assert responded.status_code == 201, responded.text
    mine = await _items(client, world.tokens["young_person"])
    theirs_after = await _items(client, westshire)

    assert "eastmarsh-local-offer" in mine
    assert "eastmarsh-local-offer" not in theirs
    assert mine["your-rights"]["responded"] is True
    assert theirs["your-rights"]["responded"] is False
    assert theirs_after["your-rights"]["responded"] is False
