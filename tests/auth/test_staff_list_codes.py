"""The staff list says who has set up a sign-in code, so an administrator knows whom to chase
where the council requires one: to administrators only, and never the secret."""

from __future__ import annotations

from typing import Any

import httpx

from tests.auth.support import API, MFA, TotpClock, enrol
from tests.factories import World

STAFF = f"{API}/staff"


async def _listed(client: httpx.AsyncClient, world: World, who: str) -> dict[str, Any]:
    """The staff list as ``who`` reads it, by account id."""
    response = await client.get(STAFF, headers=world.auth(who))
    assert response.status_code == 200, response.text
    return {row["id"]: row for row in response.json()}


async def test_the_list_shows_a_code_once_it_is_set_up_and_never_the_secret(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    pa = str(world.users["pa"])
    before = await _listed(client, world, "admin")
    assert before[pa]["has_sign_in_code"] is False

    secret = await enrol(client, world.tokens["pa"], totp_clock)

    after = await _listed(client, world, "admin")
    assert after[pa]["has_sign_in_code"] is True
    assert after[str(world.users["colleague_pa"])]["has_sign_in_code"] is False
    assert secret not in (await client.get(STAFF, headers=world.auth("admin"))).text


async def test_a_code_started_but_not_confirmed_does_not_count(
    client: httpx.AsyncClient, world: World
) -> None:
    started = await client.post(MFA, headers=world.auth("pa"))
    assert started.status_code == 201, started.text

    listed = await _listed(client, world, "admin")

    assert listed[str(world.users["pa"])]["has_sign_in_code"] is False


async def test_after_a_reset_the_list_shows_no_code(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    await enrol(client, world.tokens["pa"], totp_clock)

    reset = await client.post(f"{STAFF}/{world.users['pa']}/mfa/reset", headers=world.auth("admin"))

    assert reset.status_code == 204, reset.text
    assert (await _listed(client, world, "admin"))[str(world.users["pa"])]["has_sign_in_code"] is (
        False
    )


async def test_other_staff_do_not_learn_who_has_a_code(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    await enrol(client, world.tokens["pa"], totp_clock)

    for who in ("pa", "colleague_pa", "team_manager", "org_manager"):
        listed = await _listed(client, world, who)
        assert {row["has_sign_in_code"] for row in listed.values()} == {None}, who


async def test_changing_an_account_answers_with_its_code_status(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    await enrol(client, world.tokens["pa"], totp_clock)

    changed = await client.patch(
        f"{STAFF}/{world.users['pa']}",
        json={"display_name": "Priya S"},
        headers=world.auth("admin"),
    )

    assert changed.status_code == 200, changed.text
    assert changed.json()["has_sign_in_code"] is True
