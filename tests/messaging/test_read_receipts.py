"""Read receipts that outlive the live event: a page of messages says how far the other side has
read, so a phone that was offline when its PA read still shows "Seen"; and it never says which
member of staff read."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.factories import World

API = "/api/v1"


def _thread(world: World, who: str) -> str:
    return f"{API}/young-people/{'me' if who == 'young_person' else world.young_people['own']}/messages"


async def _send(client: httpx.AsyncClient, world: World, who: str, body: str) -> int:
    response = await client.post(
        _thread(world, who),
        json={"body": body},
        headers=world.auth(who) | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text
    message_id: int = response.json()["message"]["id"]
    return message_id


async def _read(client: httpx.AsyncClient, world: World, who: str, up_to: int) -> None:
    response = await client.post(
        f"{_thread(world, who)}/read", json={"up_to": up_to}, headers=world.auth(who)
    )
    assert response.status_code == 200, response.text


async def _page(client: httpx.AsyncClient, world: World, who: str) -> Any:
    response = await client.get(_thread(world, who), headers=world.auth(who))
    assert response.status_code == 200, response.text
    return response.json()


async def test_nothing_read_yet_is_none_on_both_sides(
    client: httpx.AsyncClient, world: World
) -> None:
    await _send(client, world, "young_person", "Hello?")

    assert (await _page(client, world, "young_person"))["read_up_to"] is None
    assert (await _page(client, world, "pa"))["read_up_to"] is None


async def test_the_young_person_sees_seen_after_the_pa_read_while_they_were_away(
    client: httpx.AsyncClient, world: World
) -> None:
    first = await _send(client, world, "young_person", "First")
    second = await _send(client, world, "young_person", "Second")

    await _read(client, world, "pa", first)
    after_first = (await _page(client, world, "young_person"))["read_up_to"]
    await _read(client, world, "pa", second)
    after_second = (await _page(client, world, "young_person"))["read_up_to"]

    assert (after_first, after_second) == (first, second)


async def test_the_young_persons_read_up_to_is_their_own_newest_message_the_staff_read(
    client: httpx.AsyncClient, world: World
) -> None:
    mine = await _send(client, world, "young_person", "Mine")
    reply = await _send(client, world, "pa", "The PA's reply")
    await _send(client, world, "young_person", "Mine again, not read yet")

    # The PA's mark passes their own reply, which is not the young person's to see as "Seen".
    await _read(client, world, "pa", reply)

    assert (await _page(client, world, "young_person"))["read_up_to"] == mine


async def test_a_colleague_reading_counts_as_staff_having_read(
    client: httpx.AsyncClient, world: World
) -> None:
    mine = await _send(client, world, "young_person", "Anyone there?")

    await _read(client, world, "colleague_pa", mine)

    assert (await _page(client, world, "young_person"))["read_up_to"] == mine


async def test_staff_see_how_far_the_young_person_has_read(
    client: httpx.AsyncClient, world: World
) -> None:
    first = await _send(client, world, "pa", "One")
    await _send(client, world, "pa", "Two")

    await _read(client, world, "young_person", first)

    assert (await _page(client, world, "pa"))["read_up_to"] == first
    assert (await _page(client, world, "colleague_pa"))["read_up_to"] == first


async def test_the_young_persons_own_read_mark_is_not_seen_by_staff_as_theirs(
    client: httpx.AsyncClient, world: World
) -> None:
    reply = await _send(client, world, "pa", "Reply")

    await _read(client, world, "young_person", reply)

    # Their own reading is no receipt for them: only staff reading their messages is.
    assert (await _page(client, world, "young_person"))["read_up_to"] is None


async def test_the_young_persons_page_names_no_member_of_staff_who_read(
    client: httpx.AsyncClient, world: World
) -> None:
    mine = await _send(client, world, "young_person", "Read this")
    await _read(client, world, "pa", mine)

    text = (
        await client.get(_thread(world, "young_person"), headers=world.auth("young_person"))
    ).text

    assert str(world.users["pa"]) not in text
