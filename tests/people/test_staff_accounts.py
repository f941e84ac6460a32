"""Staff accounts (an administrator's work): nobody changes their own role or switches
themselves off, a manager sees the whole council only when explicitly council-wide, and an
account that holds a caseload is neither disabled nor given another role until it is reallocated."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.models import Organisation, Role, User
from tests.factories import World, make_token, make_user

API = "/api/v1"


def _fields(response: httpx.Response) -> list[str]:
    return [e["field"] for e in response.json().get("errors", [])]


async def _patch_staff(
    client: httpx.AsyncClient, world: World, who: str, body: dict[str, Any], by: str = "admin"
) -> httpx.Response:
    return await client.patch(f"{API}/staff/{world.users[who]}", json=body, headers=world.auth(by))


async def _young_people_seen(client: httpx.AsyncClient, token: str) -> int:
    response = await client.get(f"{API}/young-people", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    total: int = response.json()["total"]
    return total


# --- one's own account -------------------------------------------------------------------------


async def test_an_administrator_cannot_make_themselves_a_manager(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    response = await _patch_staff(client, world, "admin", {"role": "manager"})

    assert response.status_code == 422, response.text
    assert _fields(response) == ["role"]
    assert await session.scalar(select(User.role).where(User.id == world.users["admin"])) == (
        Role.admin
    )


async def test_an_administrator_cannot_disable_themselves(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _patch_staff(client, world, "admin", {"is_active": False})

    assert response.status_code == 422, response.text
    assert _fields(response) == ["is_active"]


async def test_an_administrator_may_still_rename_themselves(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _patch_staff(
        client, world, "admin", {"display_name": "Sam P", "role": "admin", "is_active": True}
    )

    assert response.status_code == 200, response.text
    assert response.json()["display_name"] == "Sam P"


# --- council-wide managers ------------------------------------------------------------------------


async def test_a_manager_whose_teams_are_all_removed_sees_nobody(
    client: httpx.AsyncClient, world: World
) -> None:
    before = await _young_people_seen(client, world.tokens["team_manager"])

    removed = await _patch_staff(client, world, "team_manager", {"team_ids": []})

    assert removed.status_code == 200, removed.text
    assert removed.json()["council_wide"] is False
    assert before == 2  # North's two young people
    assert await _young_people_seen(client, world.tokens["team_manager"]) == 0


async def test_a_manager_in_no_team_and_not_council_wide_cannot_open_any_record(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with sessionmaker() as session, session.begin():
        org = await session.get(Organisation, world.org_id)
        assert org is not None
        manager = await make_user(session, org, Role.manager)
        token = await make_token(session, manager)

    response = await client.get(
        f"{API}/young-people/{world.young_people['own']}",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 404, response.text
    assert await _young_people_seen(client, token) == 0


async def test_an_administrator_makes_a_manager_council_wide_and_it_shows_in_staff_reads(
    client: httpx.AsyncClient, world: World
) -> None:
    await _patch_staff(client, world, "team_manager", {"team_ids": []})

    made = await _patch_staff(client, world, "team_manager", {"council_wide": True})
    listed = await client.get(f"{API}/staff", headers=world.auth("admin"))

    assert made.status_code == 200, made.text
    assert made.json()["council_wide"] is True
    shown = {s["id"]: s["council_wide"] for s in listed.json()}
    assert shown[str(world.users["team_manager"])] is True
    assert shown[str(world.users["pa"])] is False
    assert await _young_people_seen(client, world.tokens["team_manager"]) == 3


async def test_only_a_manager_can_be_council_wide(client: httpx.AsyncClient, world: World) -> None:
    patched = await _patch_staff(client, world, "colleague_pa", {"council_wide": True})
    created = await client.post(
        f"{API}/staff",
        headers=world.auth("admin"),
        json={
            "email": "new.pa@example.org",
            "display_name": "New PA",
            "role": "personal_adviser",
            "password": "long enough password",
            "council_wide": True,
        },
    )

    assert (patched.status_code, _fields(patched)) == (422, ["council_wide"])
    assert (created.status_code, _fields(created)) == (422, ["council_wide"])


async def test_a_council_wide_manager_can_be_created(
    client: httpx.AsyncClient, world: World
) -> None:
    created = await client.post(
        f"{API}/staff",
        headers=world.auth("admin"),
        json={
            "email": "lead@example.org",
            "display_name": "Service lead",
            "role": "manager",
            "password": "long enough password",
            "council_wide": True,
        },
    )

    assert created.status_code == 201, created.text
    assert created.json()["council_wide"] is True


# --- accounts that hold a caseload -----------------------------------------------------------


async def test_disabling_a_pa_who_holds_a_caseload_is_refused_until_it_is_reallocated(
    client: httpx.AsyncClient, world: World
) -> None:
    refused = await _patch_staff(client, world, "pa", {"is_active": False})
    moved = await client.patch(
        f"{API}/young-people/{world.young_people['own']}",
        headers=world.auth("team_manager"),
        json={"personal_adviser_id": str(world.users["colleague_pa"])},
    )
    disabled = await _patch_staff(client, world, "pa", {"is_active": False})

    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert "Reallocate" in refused.json()["detail"]
    assert refused.json()["caseload"] == 1
    assert moved.status_code == 200, moved.text
    assert disabled.status_code == 200, disabled.text
    assert disabled.json()["is_active"] is False


async def test_making_a_pa_who_holds_a_caseload_an_administrator_is_refused(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    response = await _patch_staff(client, world, "pa", {"role": "admin"})

    assert response.status_code == 409, response.text
    assert "Reallocate" in response.json()["detail"]
    assert await session.scalar(select(User.role).where(User.id == world.users["pa"])) == (
        Role.personal_adviser
    )


async def test_a_manager_without_a_caseload_can_be_disabled(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _patch_staff(client, world, "team_manager", {"is_active": False})

    assert response.status_code == 200, response.text
