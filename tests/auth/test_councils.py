"""Emails are unique per council: one council cannot learn (from a 409) that an address has an
account in another, and sign-in names the council when an address has two."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.models import Organisation, User
from portal_api.notifications.notifier import RecordingNotifier
from tests.auth.support import API, ME, bearer, login
from tests.factories import PASSWORD, World

OTHER_PASSWORD = "another council's passphrase"


async def _slug(session: AsyncSession, user_id: object) -> str:
    user = await session.get(User, user_id)
    assert user is not None
    org = await session.get(Organisation, user.org_id)
    assert org is not None
    return org.slug


async def _add_staff(client: httpx.AsyncClient, world: World, email: str) -> httpx.Response:
    return await client.post(
        f"{API}/staff",
        headers=world.auth("admin"),
        json={
            "email": email,
            "display_name": "New PA",
            "role": "personal_adviser",
            "password": OTHER_PASSWORD,
        },
    )


async def test_an_address_used_in_another_council_gets_the_same_answer_as_a_new_one(
    client: httpx.AsyncClient, world: World
) -> None:
    elsewhere = await _add_staff(client, world, world.emails["other_org_manager"])
    nowhere = await _add_staff(client, world, "never-seen@example.org")

    assert elsewhere.status_code == nowhere.status_code == 201, elsewhere.text
    assert set(elsewhere.json()) == set(nowhere.json())


async def test_an_address_used_in_this_council_is_still_a_conflict(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _add_staff(client, world, world.emails["pa"].upper())

    assert response.status_code == 409, response.text


async def test_an_address_two_councils_use_signs_in_only_with_the_council_named(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    shared = world.emails["other_org_manager"]
    assert (await _add_staff(client, world, shared)).status_code == 201
    here = await _slug(session, world.users["admin"])
    there = await _slug(session, world.users["other_org_manager"])

    without_council = await login(client, shared, OTHER_PASSWORD)
    signed_in_here = await client.post(
        f"{API}/auth/login", data={"username": shared, "password": OTHER_PASSWORD, "org": here}
    )
    signed_in_there = await client.post(
        f"{API}/auth/login", data={"username": shared, "password": PASSWORD, "org": there}
    )
    wrong_council = await client.post(
        f"{API}/auth/login", data={"username": shared, "password": PASSWORD, "org": here}
    )

    assert without_council.status_code == 401
    assert without_council.json()["detail"] == wrong_council.json()["detail"]
    assert wrong_council.status_code == 401
    assert signed_in_here.status_code == signed_in_there.status_code == 200
    me_here = await client.get(ME, headers=bearer(signed_in_here.json()["access_token"]))
    me_there = await client.get(ME, headers=bearer(signed_in_there.json()["access_token"]))
    assert me_here.json()["organisation_slug"] == here
    assert me_there.json()["organisation_slug"] == there


async def test_an_address_one_council_uses_signs_in_without_naming_it(
    client: httpx.AsyncClient, world: World
) -> None:
    assert (await login(client, world.emails["pa"])).status_code == 200


async def test_forgetting_a_password_two_councils_share_sends_each_its_own_link(
    client: httpx.AsyncClient, world: World, notifier: RecordingNotifier
) -> None:
    shared = world.emails["other_org_manager"]
    assert (await _add_staff(client, world, shared)).status_code == 201

    asked = await client.post(f"{API}/auth/forgot-password", json={"email": shared})

    assert asked.status_code == 202
    assert [d.to for d in notifier.sent] == [shared, shared]
    assert notifier.sent[0].text != notifier.sent[1].text
