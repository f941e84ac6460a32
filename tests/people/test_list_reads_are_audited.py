"""Lists that show case details of several young people leave one read event per young person
shown, as opening each record would, so each young person's access log shows every look."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.models import AuditEvent
from tests.factories import World

API = "/api/v1"


async def _ok(response: Any, status: int = 200) -> Any:
    answer = await response
    assert answer.status_code == status, answer.text
    return answer.json() if answer.content else None


async def _reads(
    sessionmaker: async_sessionmaker[AsyncSession], world: World, who: str, action: str
) -> list[uuid.UUID | None]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(AuditEvent.young_person_id)
            .where(AuditEvent.actor_id == world.users[who], AuditEvent.action == action)
            .order_by(AuditEvent.young_person_id)
        )
        return list(rows.scalars())


async def _access_log(client: httpx.AsyncClient, world: World) -> list[tuple[str, str]]:
    log = await _ok(
        client.get(f"{API}/young-people/me/access-log", headers=world.auth("young_person"))
    )
    return [(e["action"], e["staff_name"]) for e in log["items"]]


async def test_the_list_of_open_accommodation_concerns_records_a_read_per_young_person(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    concern = {"category": "privacy", "urgency": "soon", "text": "Staff walk in without knocking."}
    for _ in range(2):  # two concerns of one young person: one read of them
        await _ok(
            client.post(
                f"{API}/young-people/me/accommodation-concerns",
                json=concern,
                headers=world.auth("young_person"),
            ),
            201,
        )

    shown = await _ok(client.get(f"{API}/accommodation-concerns", headers=world.auth("pa")))

    assert {c["young_person_id"] for c in shown} == {str(world.young_people["own"])}
    assert await _reads(sessionmaker, world, "pa", "accommodation_concerns.read") == [
        world.young_people["own"]
    ]
    assert ("accommodation_concerns.read", "Priya PA") in await _access_log(client, world)


async def test_the_follow_ups_list_with_resolved_ones_records_a_read_per_young_person(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    shown = await _ok(
        client.get(
            f"{API}/follow-ups",
            params={"include_resolved": "true"},
            headers=world.auth("team_manager"),
        )
    )

    assert [f["young_person_id"] for f in shown] == [str(world.young_people["own"])]
    assert await _reads(sessionmaker, world, "team_manager", "follow_up.read") == [
        world.young_people["own"]
    ]


async def test_an_empty_list_records_no_read(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """South's PA sees none of North's follow-ups, so no young person's log names them."""
    shown = await _ok(client.get(f"{API}/follow-ups", headers=world.auth("south_pa")))

    assert shown == []
    assert await _reads(sessionmaker, world, "south_pa", "follow_up.read") == []


async def test_the_flagged_messages_list_records_a_read_without_naming_the_flag(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _ok(
        client.post(
            f"{API}/young-people/{world.young_people['own']}/messages/"
            f"{world.messages['own']}/flags",
            json={"reason": "Worried about this"},
            headers=world.auth("pa"),
        ),
        204,
    )

    shown = await _ok(client.get(f"{API}/messages/flagged", headers=world.auth("team_manager")))

    assert [f["young_person_id"] for f in shown] == [str(world.young_people["own"])]
    assert await _reads(sessionmaker, world, "team_manager", "messages.read") == [
        world.young_people["own"]
    ]
    log = await _access_log(client, world)
    assert ("messages.read", "Manager") in log
    assert not [action for action, _ in log if "flag" in action]
