"""The provider register: managers and administrators keep it, personal advisers read it, and
bad input (an unknown provider or scheme, a visit dated in the future) stores nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.common.time import today
from portal_api.models import Provider, QualityVisit, Scheme
from tests.accommodation.support import (
    API,
    count,
    fields,
    move,
    ok,
    problem,
    provider,
    scheme,
    visit,
)
from tests.factories import World


async def test_managers_and_admins_keep_the_register_and_advisers_read_it(
    client: httpx.AsyncClient, world: World
) -> None:
    harbour = await provider(client, world, "Harbour Housing", who="admin")
    quay = await scheme(client, world, harbour["id"], "Quay House", "T", who="team_manager")
    assert quay["accommodation_type_name"] == "Foyer"
    renamed = await ok(
        client.patch(
            f"{API}/schemes/{quay['id']}",
            json={"name": "Quay House Foyer", "commissioned": False},
            headers=world.auth("admin"),
        )
    )
    assert renamed["name"] == "Quay House Foyer"
    assert renamed["commissioned"] is False
    await ok(
        client.patch(
            f"{API}/providers/{harbour['id']}",
            json={"commissioned": False},
            headers=world.auth("org_manager"),
        )
    )

    register = await ok(client.get(f"{API}/providers", headers=world.auth("pa")))
    assert [(p["name"], p["commissioned"]) for p in register] == [("Harbour Housing", False)]
    assert [s["name"] for s in register[0]["schemes"]] == ["Quay House Foyer"]
    assert register[0]["schemes"][0]["living_here_now"] == 0

    problem(
        await client.post(f"{API}/providers", json={"name": "Mine"}, headers=world.auth("pa")),
        403,
    )
    problem(await client.get(f"{API}/providers", headers=world.auth("young_person")), 403)
    # Another council's register is its own.
    assert await ok(client.get(f"{API}/providers", headers=world.auth("other_org_manager"))) == []


async def test_register_shows_the_latest_visits_and_counts_only_what_the_reader_may_see(
    client: httpx.AsyncClient, world: World
) -> None:
    harbour = await provider(client, world)
    quay = await scheme(client, world, harbour["id"])
    on = today()
    for days in range(1, 8):
        await visit(client, world, quay["id"], on - timedelta(days=days * 30), senior=days == 6)
    await move(client, world, "own", scheme_id=quay["id"])
    await move(client, world, "other_team", scheme_id=quay["id"])

    register = await ok(client.get(f"{API}/providers", headers=world.auth("pa")))
    listed = register[0]["schemes"][0]
    assert [v["visited_on"] for v in listed["visits"]] == [
        (on - timedelta(days=days * 30)).isoformat() for days in range(1, 6)
    ]
    assert listed["visits"][0]["recorded_by"] == "Manager"
    assert listed["last_senior_visit_on"] == (on - timedelta(days=180)).isoformat()
    assert listed["living_here_now"] == 1  # the PA's team: not the South team's young person
    everyone = await ok(client.get(f"{API}/providers", headers=world.auth("org_manager")))
    assert everyone[0]["schemes"][0]["living_here_now"] == 2
    # Administrators keep the register but see no case records, not even counts.
    admin = await ok(client.get(f"{API}/providers", headers=world.auth("admin")))
    assert admin[0]["schemes"][0]["living_here_now"] is None
    assert admin[0]["open_concerns"] is None


async def test_a_visit_dated_in_the_future_is_invalid_and_stores_nothing(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    harbour = await provider(client, world)
    quay = await scheme(client, world, harbour["id"])
    tomorrow = today() + timedelta(days=1)
    response = await client.post(
        f"{API}/schemes/{quay['id']}/visits",
        json={
            "visited_on": tomorrow.isoformat(),
            "visitor_name": "Dana Director",
            "visitor_role": "Director",
            "is_senior": True,
            "findings": "Planned.",
        },
        headers=world.auth("org_manager"),
    )
    problem(response, 422)
    assert fields(response) == ["body.visited_on"]
    assert await count(sessionmaker, QualityVisit) == 0
    await visit(client, world, quay["id"], today())  # today is fine
    assert await count(sessionmaker, QualityVisit) == 1


async def test_unknown_provider_or_scheme_is_not_found_and_stores_nothing(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    unknown = uuid.uuid4()
    auth = world.auth("org_manager")
    body = {"name": "Nowhere", "address": "1 Lost Lane", "accommodation_type": "D"}
    problem(await client.post(f"{API}/providers/{unknown}/schemes", json=body, headers=auth), 404)
    problem(await client.patch(f"{API}/providers/{unknown}", json={"name": "X"}, headers=auth), 404)
    problem(await client.patch(f"{API}/schemes/{unknown}", json={"name": "X"}, headers=auth), 404)
    problem(await client.get(f"{API}/providers/{unknown}/concerns", headers=auth), 404)
    problem(
        await client.post(
            f"{API}/schemes/{unknown}/visits",
            json={
                "visited_on": today().isoformat(),
                "visitor_name": "Dana",
                "visitor_role": "Director",
                "findings": "-",
            },
            headers=auth,
        ),
        404,
    )
    # Another council's provider is not found either.
    theirs = await provider(client, world, "Westshire Homes", who="other_org_manager")
    problem(
        await client.post(f"{API}/providers/{theirs['id']}/schemes", json=body, headers=auth), 404
    )
    # Malformed ids are invalid input, not a crash.
    problem(await client.patch(f"{API}/schemes/not-an-id", json={}, headers=auth), 422)
    assert await count(sessionmaker, Scheme) == 0
    assert await count(sessionmaker, Provider) == 1


async def test_register_rejects_duplicates_and_unknown_types(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    harbour = await provider(client, world)
    problem(
        await client.post(
            f"{API}/providers", json={"name": "Harbour Housing"}, headers=world.auth("admin")
        ),
        409,
    )
    await scheme(client, world, harbour["id"], "Quay House")
    path = f"{API}/providers/{harbour['id']}/schemes"
    body = {"name": "Quay House", "address": "2 Quay", "accommodation_type": "D"}
    problem(await client.post(path, json=body, headers=world.auth("org_manager")), 409)
    for letter in ("S", "X", "Q"):  # homeless and custody are not schemes; Q is no code
        response = await client.post(
            path,
            json={**body, "name": f"New {letter}", "accommodation_type": letter},
            headers=world.auth("org_manager"),
        )
        problem(response, 422)
        assert fields(response) == ["body.accommodation_type"]
    response = await client.post(
        f"{API}/providers",
        json={"name": "Org", "org_id": str(uuid.uuid4())},
        headers=world.auth("admin"),
    )
    problem(response, 422)
    assert await count(sessionmaker, Provider) == 1
    assert await count(sessionmaker, Scheme) == 1
