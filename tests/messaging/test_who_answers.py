"""A young person's message never reaches nobody. A PA or colleague covering counts only while
they can answer: active, a PA or manager, and able to read the young person's record. Otherwise
the message goes to the duty queue and the team's managers are told, and the home screen says
the duty team will answer (issue 13, "found by a hostile test")."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.models import Role, TeamMembership, User
from tests.factories import World
from tests.messaging.test_conversation import (
    WEEKDAY_MORNING,
    SetClock,
    _away,
    _fields,
    _outbox_recipients,
    _sent,
    _summary,
    clock,  # noqa: F401 - the fixture, shared with the conversation's tests
)

API = "/api/v1"


async def _set(
    sessionmaker: async_sessionmaker[AsyncSession], world: World, who: str, **values: Any
) -> None:
    """A change made straight in the database, as a careless script or an old row would."""
    async with sessionmaker() as session, session.begin():
        await session.execute(update(User).where(User.id == world.users[who]).values(**values))


async def _cover_request(client: httpx.AsyncClient, world: World, cover: str) -> httpx.Response:
    return await client.put(
        f"{API}/users/me/availability",
        json={"away_until": "2026-12-01T09:00:00Z", "cover_id": str(world.users[cover])},
        headers=world.auth("pa"),
    )


async def _goes_to_duty_team_and_managers(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    reach = (await _summary(client, world))["reach_now"]
    sent = await _sent(client, world, "Is anyone there?")

    assert reach["who"] == "duty_team"
    assert "duty team will answer" in reach["message"]
    assert "covering" not in sent["delivered_to"]
    assert sent["message"]["to_duty_queue"] is True
    queue = await client.get(f"{API}/messages/duty-queue", headers=world.auth("team_manager"))
    assert queue.json() == [str(world.young_people["own"])]
    assert await _outbox_recipients(sessionmaker) == {world.users["team_manager"]}


# --- choosing who covers ---------------------------------------------------------------------


async def test_a_disabled_colleague_cannot_be_chosen_as_cover(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _set(sessionmaker, world, "colleague_pa", is_active=False)

    response = await _cover_request(client, world, "colleague_pa")

    assert response.status_code == 422, response.text
    assert _fields(response) == ["cover_id"]


async def test_an_administrator_cannot_be_chosen_as_cover(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _cover_request(client, world, "admin")

    assert response.status_code == 422, response.text
    assert _fields(response) == ["cover_id"]


async def test_a_pa_of_another_team_cannot_be_chosen_as_cover(
    client: httpx.AsyncClient, world: World
) -> None:
    """South's PA cannot read North's young people, so could not answer them."""
    response = await _cover_request(client, world, "south_pa")

    assert response.status_code == 422, response.text
    assert _fields(response) == ["cover_id"]


async def test_a_manager_who_can_read_the_caseload_can_cover(
    client: httpx.AsyncClient, world: World
) -> None:
    for cover in ("team_manager", "org_manager", "colleague_pa"):
        response = await _cover_request(client, world, cover)
        assert response.status_code == 204, (cover, response.text)


# --- cover who can no longer answer ------------------------------------------------------------


async def test_cover_disabled_after_being_chosen_counts_as_nobody(
    client: httpx.AsyncClient,
    world: World,
    clock: SetClock,  # noqa: F811
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock(WEEKDAY_MORNING)
    await _away(client, world, WEEKDAY_MORNING + timedelta(days=7), cover="colleague_pa")
    await _set(sessionmaker, world, "colleague_pa", is_active=False)

    await _goes_to_duty_team_and_managers(client, world, sessionmaker)


async def test_cover_made_an_administrator_after_being_chosen_counts_as_nobody(
    client: httpx.AsyncClient,
    world: World,
    clock: SetClock,  # noqa: F811
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock(WEEKDAY_MORNING)
    await _away(client, world, WEEKDAY_MORNING + timedelta(days=7), cover="colleague_pa")
    await _set(sessionmaker, world, "colleague_pa", role=Role.admin)

    await _goes_to_duty_team_and_managers(client, world, sessionmaker)


async def test_cover_moved_out_of_the_team_after_being_chosen_counts_as_nobody(
    client: httpx.AsyncClient,
    world: World,
    clock: SetClock,  # noqa: F811
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock(WEEKDAY_MORNING)
    await _away(client, world, WEEKDAY_MORNING + timedelta(days=7), cover="colleague_pa")
    async with sessionmaker() as session, session.begin():
        await session.execute(
            delete(TeamMembership).where(TeamMembership.user_id == world.users["colleague_pa"])
        )

    await _goes_to_duty_team_and_managers(client, world, sessionmaker)


# --- a PA who can no longer answer ---------------------------------------------------------------


async def test_a_disabled_pa_counts_as_nobody(
    client: httpx.AsyncClient,
    world: World,
    clock: SetClock,  # noqa: F811
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock(WEEKDAY_MORNING)
    await _set(sessionmaker, world, "pa", is_active=False)

    await _goes_to_duty_team_and_managers(client, world, sessionmaker)
    assert (await _summary(client, world))["personal_adviser"] is None


async def test_a_pa_made_an_administrator_in_the_database_counts_as_nobody(
    client: httpx.AsyncClient,
    world: World,
    clock: SetClock,  # noqa: F811
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock(WEEKDAY_MORNING)
    await _set(sessionmaker, world, "pa", role=Role.admin)

    await _goes_to_duty_team_and_managers(client, world, sessionmaker)
    assert (await _summary(client, world))["personal_adviser"] is None


async def test_a_disabled_pa_away_with_cover_still_counts_as_nobody(
    client: httpx.AsyncClient,
    world: World,
    clock: SetClock,  # noqa: F811
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Their cover was chosen for their absence, not to inherit a caseload nobody holds."""
    clock(WEEKDAY_MORNING)
    await _away(client, world, WEEKDAY_MORNING + timedelta(days=7), cover="colleague_pa")
    await _set(sessionmaker, world, "pa", is_active=False)

    await _goes_to_duty_team_and_managers(client, world, sessionmaker)


async def test_an_active_pa_still_gets_their_young_persons_message(
    client: httpx.AsyncClient,
    world: World,
    clock: SetClock,  # noqa: F811
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """The counterpart of the above: the same world, nothing changed, reaches the PA."""
    clock(WEEKDAY_MORNING)

    reach = (await _summary(client, world))["reach_now"]
    sent = await _sent(client, world, "Hello")

    assert reach["who"] == "personal_adviser"
    assert sent["message"]["to_duty_queue"] is False
    assert await _outbox_recipients(sessionmaker) == {world.users["pa"]}
