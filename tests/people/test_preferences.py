"""A young person's own choices: preferred name, language and how they are told. Only those
fields, only by the young person, checked like any input, and honoured where the app shows them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.models import AuditEvent, YoungPerson
from tests.factories import World

API = "/api/v1"
PREFERENCES = f"{API}/users/me/preferences"


async def _patch(client: httpx.AsyncClient, world: World, body: dict[str, Any]) -> httpx.Response:
    return await client.patch(PREFERENCES, json=body, headers=world.auth("young_person"))


async def _person(sessionmaker: async_sessionmaker[AsyncSession], world: World) -> YoungPerson:
    async with sessionmaker() as session:
        person = await session.get(YoungPerson, world.young_people["own"])
        assert person is not None
        return person


async def test_before_choosing_the_young_person_gets_the_defaults(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(PREFERENCES, headers=world.auth("young_person"))

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["preferred_language"], body["notify_by"], body["notify_by_chosen"]) == (
        "en",
        ["push", "sms"],
        False,
    )
    assert body["shown_name"] == (body["preferred_name"] or body["given_name"])


async def test_a_preferred_name_is_what_the_home_screen_calls_them(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _patch(client, world, {"preferred_name": "Sami"})
    summary = await client.get(f"{API}/young-people/me/summary", headers=world.auth("young_person"))

    assert response.status_code == 200, response.text
    assert response.json()["shown_name"] == "Sami"
    assert summary.json()["given_name"] == "Sami"
    assert summary.json()["full_name"].startswith("Sami ")


async def test_clearing_the_preferred_name_goes_back_to_the_given_name(
    client: httpx.AsyncClient, world: World
) -> None:
    await _patch(client, world, {"preferred_name": "Sami"})

    response = await _patch(client, world, {"preferred_name": ""})

    body = response.json()
    assert (body["preferred_name"], body["shown_name"]) == (None, body["given_name"])


async def test_sending_only_the_language_leaves_the_name_alone(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _patch(client, world, {"preferred_name": "Sami"})

    response = await _patch(client, world, {"preferred_language": "ps"})

    person = await _person(sessionmaker, world)
    assert response.status_code == 200, response.text
    assert (person.preferred_name, person.preferred_language) == ("Sami", "ps")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"preferred_name": "x" * 61}, "body.preferred_name"),
        ({"preferred_name": "Sam\nAdmin"}, "body.preferred_name"),
        ({"preferred_name": "Sam\u202eevil"}, "body.preferred_name"),
        ({"preferred_language": "fr"}, "body.preferred_language"),
        ({"preferred_language": None}, "preferred_language"),
        ({"notify_by": ["pigeon"]}, "body.notify_by.0"),
        ({"notify_by": ["push", "push"]}, "body.notify_by"),
        # staff fields are not theirs to set this way
        ({"family_name": "Other"}, "body.family_name"),
        ({"date_of_birth": "2000-01-01"}, "body.date_of_birth"),
    ],
)
async def test_a_bad_choice_is_422_naming_the_field_and_changes_nothing(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    body: dict[str, Any],
    field: str,
) -> None:
    before = await _person(sessionmaker, world)

    response = await _patch(client, world, body)

    after = await _person(sessionmaker, world)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert (after.version, after.preferred_name, after.family_name) == (
        before.version,
        before.preferred_name,
        before.family_name,
    )


async def test_sms_needs_a_mobile_on_the_record(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    refused = await _patch(client, world, {"notify_by": ["sms"]})
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(YoungPerson)
            .where(YoungPerson.id == world.young_people["own"])
            .values(mobile="+447700900123")
        )
    accepted = await _patch(client, world, {"notify_by": ["sms", "push"]})

    assert refused.status_code == 422, refused.text
    assert "mobile" in refused.json()["errors"][0]["message"]
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["notify_by"] == ["sms", "push"]
    assert accepted.json()["notify_by_chosen"] is True


async def test_a_change_bumps_the_record_version_and_is_audited(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    before = await _person(sessionmaker, world)

    await _patch(client, world, {"notify_by": []})

    after = await _person(sessionmaker, world)
    async with sessionmaker() as session:
        actions = list(
            await session.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.young_person_id == world.young_people["own"]
                )
            )
        )
    assert after.version == before.version + 1
    assert after.notify_by == []
    assert "preferences.change" in actions


async def test_staff_cannot_read_or_set_preferences(
    client: httpx.AsyncClient, world: World
) -> None:
    got = await client.get(PREFERENCES, headers=world.auth("pa"))
    patched = await client.patch(
        PREFERENCES, json={"preferred_name": "X"}, headers=world.auth("pa")
    )

    assert (got.status_code, patched.status_code) == (403, 403)
