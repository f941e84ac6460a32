"""A young person's accommodation (SSDA903 ACCOM codes, DOMAIN.md §2 and §5): a move closes the
previous residence and opens the next; bad input stores nothing; satisfaction checks fall due
when there has been no answer in the last 3 months."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.common.time import LONDON, today
from portal_api.models import Residence, SatisfactionResponse
from portal_api.people.legal_status import add_months
from tests.accommodation.support import (
    accommodation_path,
    backdate,
    count,
    fields,
    move,
    ok,
    problem,
    provider,
    scheme,
)
from tests.factories import World


async def test_a_move_closes_the_previous_residence_and_opens_the_next(
    client: httpx.AsyncClient, world: World
) -> None:
    harbour = await provider(client, world)
    quay = await scheme(client, world, harbour["id"], "Quay House", "D")
    first_day = today() - timedelta(days=200)
    moved_on = today() - timedelta(days=20)
    await move(client, world, "own", scheme_id=quay["id"], code="D1", since=first_day, who="pa")
    after = await move(
        client,
        world,
        "own",
        code="W2",
        since=moved_on,
        address="Room 4, Station Hotel",
        reasons={"safety": "Shared bathroom with adults", "support": "No staff on site"},
        who="pa",
    )
    current = after["current"]
    assert current["code"] == "W2"
    assert current["suitable"] is False
    assert current["accommodation_type_name"] == "Bed and breakfast"
    assert current["since"] == moved_on.isoformat()
    assert current["until"] is None
    assert current["address"] == "Room 4, Station Hotel"
    assert current["reasons"]["safety"] == "Shared bathroom with adults"
    assert current["recorded_by"] == "Priya PA"
    [before] = after["history"]
    assert before["scheme_name"] == "Quay House"
    assert before["provider_name"] == "Harbour Housing"
    assert before["address"] == "1 Quay House Road, Eastmarsh"  # the scheme's own
    assert (before["since"], before["until"]) == (first_day.isoformat(), moved_on.isoformat())

    # The young person sees the same.
    mine = await ok(client.get(accommodation_path("me"), headers=world.auth("young_person")))
    assert mine["current"]["code"] == "W2"
    assert len(mine["history"]) == 1


async def test_bad_moves_are_invalid_and_store_nothing(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    harbour = await provider(client, world)
    foyer = await scheme(client, world, harbour["id"], "Harbour Foyer", "T")
    since = today() - timedelta(days=10)
    await move(client, world, "own", code="U1", since=since, address="Flat 2, 10 High Street")
    path = accommodation_path(world.young_people["own"])
    base: dict[str, Any] = {"code": "U1", "since": today().isoformat(), "address": "Flat 9"}
    cases: tuple[tuple[dict[str, Any], str], ...] = (
        ({**base, "code": "S1"}, "body.code"),  # homeless is never suitable
        ({**base, "code": "X1"}, "body.code"),  # nor is custody
        ({**base, "code": "Q1"}, "body.code"),
        ({**base, "code": "0"}, "body.code"),
        ({**base, "code": "U2"}, "body.reasons"),  # unsuitable: say why
        ({**base, "reasons": {"vibes": "good"}}, "body.reasons.vibes.[key]"),
        ({**base, "since": (today() + timedelta(days=1)).isoformat()}, "body.since"),
        ({**base, "since": since.isoformat()}, "since"),  # not after where they live now
        ({**base, "scheme_id": foyer["id"]}, "body.address"),  # one or the other
        ({**base, "address": None, "scheme_id": foyer["id"], "code": "D1"}, "code"),
        (
            {**base, "address": None, "scheme_id": "00000000-0000-4000-8000-000000000000"},
            "scheme_id",
        ),
        ({**base, "since": "1990-01-01"}, "since"),  # before they were born
    )
    for body, field in cases:
        response = await client.put(path, json=body, headers=world.auth("pa"))
        problem(response, 422)
        assert field in fields(response), (body, response.json())
    assert await count(sessionmaker, Residence) == 1
    state = await ok(client.get(path, headers=world.auth("pa")))
    assert state["current"]["since"] == since.isoformat()
    assert state["current"]["until"] is None
    # Duty cover reads but cannot record a move; a young person cannot either.
    problem(await client.put(path, json=base, headers=world.auth("colleague_pa")), 403)
    problem(await client.put(path, json=base, headers=world.auth("young_person")), 403)


async def test_satisfaction_falls_due_when_there_is_no_answer_in_three_months(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    harbour = await provider(client, world)
    quay = await scheme(client, world, harbour["id"])
    await move(client, world, "own", scheme_id=quay["id"])
    mine = accommodation_path("me")
    auth = world.auth("young_person")
    assert (await ok(client.get(mine, headers=auth)))["satisfaction_due"] is True

    answer = await ok(
        client.post(f"{mine}/satisfaction", json={"rating": 4, "comment": "Quiet."}, headers=auth),
        201,
    )
    assert answer["scheme_name"] == "Quay House"
    state = await ok(client.get(mine, headers=auth))
    assert state["satisfaction_due"] is False
    assert state["last_satisfaction"]["rating"] == 4

    # Answered on the day exactly 3 months ago: still within the last 3 months.
    three_months_ago = add_months(today(), -3)
    await backdate(
        sessionmaker,
        SatisfactionResponse,
        answer["id"],
        datetime.combine(three_months_ago, time(12), LONDON),
    )
    assert (await ok(client.get(mine, headers=auth)))["satisfaction_due"] is False
    await backdate(
        sessionmaker,
        SatisfactionResponse,
        answer["id"],
        datetime.combine(three_months_ago - timedelta(days=1), time(12), LONDON),
    )
    assert (await ok(client.get(mine, headers=auth)))["satisfaction_due"] is True


async def test_satisfaction_rating_is_one_to_five_and_only_the_young_persons_own(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mine = f"{accommodation_path('me')}/satisfaction"
    for rating in (0, 6, "good", None):
        response = await client.post(
            mine, json={"rating": rating}, headers=world.auth("young_person")
        )
        problem(response, 422)
        assert fields(response) == ["body.rating"]
    someone_else = f"{accommodation_path(world.young_people['colleague'])}/satisfaction"
    problem(
        await client.post(someone_else, json={"rating": 5}, headers=world.auth("young_person")), 404
    )
    own = f"{accommodation_path(world.young_people['own'])}/satisfaction"
    problem(await client.post(own, json={"rating": 5}, headers=world.auth("pa")), 403)
    assert await count(sessionmaker, SatisfactionResponse) == 0
    # Not living in a scheme: the answer is kept, about no scheme.
    answer = await ok(
        client.post(mine, json={"rating": 3}, headers=world.auth("young_person")), 201
    )
    assert answer["scheme_id"] is None
