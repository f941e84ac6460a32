"""The most young people a PA should hold: read by staff on /organisation, changed by an
administrator only, never cleared, kept within sensible bounds."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import World

ORGANISATION = "/api/v1/organisation"


async def test_a_council_starts_at_25_and_the_administrator_changes_it(
    client: httpx.AsyncClient, world: World
) -> None:
    before = await client.get(ORGANISATION, headers=world.auth("org_manager"))
    changed = await client.patch(
        ORGANISATION, headers=world.auth("admin"), json={"caseload_max": 30}
    )
    after = await client.get(ORGANISATION, headers=world.auth("org_manager"))

    assert before.json()["caseload_max"] == 25
    assert changed.status_code == 200, changed.text
    assert after.json()["caseload_max"] == 30


async def test_a_manager_cannot_change_it(client: httpx.AsyncClient, world: World) -> None:
    response = await client.patch(
        ORGANISATION, headers=world.auth("org_manager"), json={"caseload_max": 80}
    )

    assert response.status_code == 403
    after = await client.get(ORGANISATION, headers=world.auth("admin"))
    assert after.json()["caseload_max"] == 25


@pytest.mark.parametrize("value", [0, 201, None])
async def test_an_impossible_or_empty_maximum_is_refused_naming_the_field(
    client: httpx.AsyncClient, world: World, value: int | None
) -> None:
    response = await client.patch(
        ORGANISATION, headers=world.auth("admin"), json={"caseload_max": value}
    )

    assert response.status_code == 422, response.text
    fields = [e["field"] for e in response.json()["errors"]]
    assert any(f.endswith("caseload_max") for f in fields), fields
