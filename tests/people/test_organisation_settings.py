"""The council's office hours are an administrator's setting, read and changed through
/organisation: an impossible day is refused on the field it is about, and nothing is half-saved."""

from __future__ import annotations

import httpx

from tests.factories import World

ORGANISATION = "/api/v1/organisation"


async def _patch(
    client: httpx.AsyncClient, world: World, body: dict[str, object]
) -> httpx.Response:
    return await client.patch(ORGANISATION, json=body, headers=world.auth("admin"))


def _fields(response: httpx.Response) -> list[str]:
    return [e["field"] for e in response.json().get("errors", [])]


async def test_office_hours_start_at_nine_to_five_and_an_administrator_changes_them(
    client: httpx.AsyncClient, world: World
) -> None:
    before = (await client.get(ORGANISATION, headers=world.auth("pa"))).json()

    response = await _patch(client, world, {"office_opens": "08:30", "office_closes": "18:00"})

    assert (before["office_opens"], before["office_closes"]) == ("09:00", "17:00")
    assert response.status_code == 200, response.text
    after = (await client.get(ORGANISATION, headers=world.auth("pa"))).json()
    assert (after["office_opens"], after["office_closes"]) == ("08:30", "18:00")


async def test_an_office_that_closes_before_it_opens_is_refused_on_the_closing_time(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _patch(
        client, world, {"office_closes": "08:00", "out_of_hours_phone": "0800 123 4567"}
    )

    assert response.status_code == 422, response.text
    assert _fields(response) == ["office_closes"]
    # The whole change is refused, the number with it.
    after = (await client.get(ORGANISATION, headers=world.auth("admin"))).json()
    assert after["office_closes"] == "17:00"
    assert after["out_of_hours_phone"] != "0800 123 4567"


async def test_an_opening_time_that_is_not_a_time_of_day_names_the_field(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _patch(client, world, {"office_opens": "9am"})

    assert response.status_code == 422, response.text
    assert _fields(response) == ["body.office_opens"]


async def test_office_hours_cannot_be_cleared(client: httpx.AsyncClient, world: World) -> None:
    response = await _patch(client, world, {"office_opens": None})

    assert response.status_code == 422, response.text
    assert _fields(response) == ["office_opens"]
