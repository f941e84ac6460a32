"""Searching for a young person by name or external id: the list of young people and the
console's caseload use one clause (``people.queries.named_or_numbered``), so a PA who finds
someone in one finds them in the other."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.models import YoungPerson
from tests.factories import World

API = "/api/v1"


async def _external_ids(
    client: httpx.AsyncClient, world: World, path: str, **params: Any
) -> list[str]:
    response = await client.get(f"{API}/{path}", headers=world.auth("pa"), params=params)
    assert response.status_code == 200, response.text
    return sorted(item["external_id"] for item in response.json()["items"])


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("amira", ["OWN1"]),  # given name
        ("  AMIRA PERSON ", ["OWN1"]),  # full name across the space, any case, padded
        ("mimi", ["COL1"]),  # preferred name
        ("col1", ["COL1"]),  # external id, any case
        ("person", ["COL1", "OWN1"]),  # family name: everyone in the PA's team
        ("nobody", []),
    ],
)
async def test_the_list_and_the_caseload_find_the_same_young_people_by_name_or_id(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    search: str,
    found: list[str],
) -> None:
    async with sessionmaker() as session, session.begin():
        colleague = await session.get(YoungPerson, world.young_people["colleague"])
        assert colleague is not None
        colleague.preferred_name = "Mimi"

    listed = await _external_ids(client, world, "young-people", search=search)
    caseload = await _external_ids(client, world, "caseload", search=search, mine="false")

    assert listed == found
    assert caseload == found
