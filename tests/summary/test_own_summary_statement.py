"""The home screen's query is built once per process for a young person's own record, with who
they are as bound parameters (people.facts.own_record_select). Nothing about one young person
may stick to it: each reader gets their own record, counts and organisation, writes show at once,
and it answers exactly what the per-request query (eligibility_facts) answers."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.common.actor import Actor
from portal_api.models import Message, MessageKind, User
from portal_api.people import facts
from portal_api.people.facts import eligibility_facts, own_eligibility_facts
from portal_api.plans import home as plans
from portal_api.summary import service
from tests.factories import World, other_council_young_person_token

API = "/api/v1"


async def _summary(client: httpx.AsyncClient, token: str) -> dict[str, Any]:
    response = await client.get(
        f"{API}/young-people/me/summary", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _second_young_person_token(
    sessionmaker: async_sessionmaker[AsyncSession], world: World
) -> str:
    """An account for the young person in the other council (Westshire)."""
    async with sessionmaker() as session:
        token = await other_council_young_person_token(session, world)
        await session.commit()
        return token


async def test_two_young_people_in_two_councils_each_get_their_own_home_screen(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    other_token = await _second_young_person_token(sessionmaker, world)
    service._own_summary_select.cache_clear()  # built for whoever asks first: Amira

    mine = await _summary(client, world.tokens["young_person"])
    theirs = await _summary(client, other_token)
    mine_again = await _summary(client, world.tokens["young_person"])

    assert mine["young_person_id"] == str(world.young_people["own"])
    assert theirs["young_person_id"] == str(world.young_people["other_org"])
    assert mine["given_name"] == "Amira" != theirs["given_name"]
    assert mine["organisation"]["name"] != theirs["organisation"]["name"]
    assert mine == mine_again


async def test_unread_count_is_the_readers_own_and_changes_at_once(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    other_token = await _second_young_person_token(sessionmaker, world)
    # Built first for the other young person: whatever sticks to the query would be theirs.
    service._own_summary_select.cache_clear()
    assert (await _summary(client, other_token))["unread_messages"] == 1
    # Amira's own message is not unread for her (it would be, were the reader the other one).
    sent = await client.post(
        f"{API}/young-people/me/messages",
        json={"body": "Are we still meeting?"},
        headers=world.auth("young_person") | {"Idempotency-Key": "own-summary-1"},
    )
    assert sent.status_code == 201, sent.text
    assert (await _summary(client, world.tokens["young_person"]))["unread_messages"] == 1
    async with sessionmaker() as session:  # two more from the PA, to this young person only
        pa = await session.get(User, world.users["pa"])
        assert pa is not None
        for body in ("One", "Two"):
            session.add(
                Message(
                    org_id=world.org_id,
                    young_person_id=world.young_people["own"],
                    sender_id=pa.id,
                    sender_role=pa.role.value,
                    kind=MessageKind.text,
                    body=body,
                )
            )
        await session.commit()

    assert (await _summary(client, world.tokens["young_person"]))["unread_messages"] == 3
    assert (await _summary(client, other_token))["unread_messages"] == 1

    async with sessionmaker() as session:
        newest = await session.scalar(
            select(Message.id)
            .where(Message.young_person_id == world.young_people["own"])
            .order_by(Message.id.desc())
            .limit(1)
        )
    read = await client.post(
        f"{API}/young-people/me/messages/read",
        json={"up_to": newest},
        headers=world.auth("young_person"),
    )
    assert read.status_code in (200, 204), read.text
    assert (await _summary(client, world.tokens["young_person"]))["unread_messages"] == 0
    assert (await _summary(client, other_token))["unread_messages"] == 1


async def test_a_revoked_token_fails_at_once_on_the_home_screen(
    client: httpx.AsyncClient, world: World
) -> None:
    headers = world.auth("young_person")
    assert (await client.get(f"{API}/young-people/me/summary", headers=headers)).status_code == 200
    assert (await client.post(f"{API}/auth/logout", headers=headers)).status_code in (200, 204)
    gone = await client.get(f"{API}/young-people/me/summary", headers=headers)
    assert gone.status_code == 401, gone.text


async def test_the_once_built_query_answers_what_the_per_request_query_answers(
    session: AsyncSession, world: World
) -> None:
    user = await session.get(User, world.users["young_person"])
    assert user is not None
    actor = Actor(user=user, ip=None)
    horizon = plans.horizon()
    columns = service._columns(user.id, horizon)

    built_once, own = await own_eligibility_facts(
        session,
        actor,
        service._own_summary_select(),
        columns,
        params={service._HORIZON.key: horizon},
    )
    per_request, generic = await eligibility_facts(
        session, actor, "me", columns, joins=service._joins
    )

    assert own == generic
    assert built_once.young_person.id == per_request.young_person.id
    assert (built_once.periods, built_once.in_touch) == (per_request.periods, per_request.in_touch)
    assert own["org_name"]
    assert own["plan_version_id"] is not None


async def test_the_checklist_read_by_the_once_built_facts_query_is_each_young_persons_own(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    other_token = await _second_young_person_token(sessionmaker, world)
    facts._own_facts_select.cache_clear()  # built for whoever asks first: Westshire
    theirs = await client.get(
        f"{API}/young-people/me/documents", headers={"Authorization": f"Bearer {other_token}"}
    )
    mine = await client.get(
        f"{API}/young-people/{world.young_people['own']}/documents",
        headers=world.auth("young_person"),
    )
    not_mine = await client.get(
        f"{API}/young-people/{world.young_people['colleague']}/documents",
        headers=world.auth("young_person"),
    )

    assert theirs.status_code == mine.status_code == 200, (theirs.text, mine.text)
    assert theirs.json()["young_person_id"] == str(world.young_people["other_org"])
    assert mine.json()["young_person_id"] == str(world.young_people["own"])
    assert not_mine.status_code == 404, not_mine.text
