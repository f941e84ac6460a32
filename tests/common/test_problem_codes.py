"""Every problem+json answer carries a stable ``code`` (and every field error one too), so the
phone app words errors in the reader's language instead of showing the English ``detail``."""

from __future__ import annotations

import uuid

import httpx

from tests.factories import World

API = "/api/v1"


async def test_not_found_has_its_code(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get(
        f"{API}/young-people/{uuid.uuid4()}/summary", headers=world.auth("pa")
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


async def test_an_unknown_path_is_not_found_too(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/no-such-thing")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


async def test_not_signed_in_and_forbidden_have_their_codes(
    client: httpx.AsyncClient, world: World
) -> None:
    anonymous = await client.get(f"{API}/users/me")
    staff = await client.get(f"{API}/users/me/preferences", headers=world.auth("pa"))

    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "not_signed_in")
    assert (staff.status_code, staff.json()["code"]) == (403, "forbidden")


async def test_invalid_input_has_a_code_per_field(client: httpx.AsyncClient, world: World) -> None:
    response = await client.patch(
        f"{API}/users/me/preferences",
        json={"preferred_name": "x" * 61, "preferred_language": "fr", "colour": "red"},
        headers=world.auth("young_person"),
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert {e["field"]: e["code"] for e in body["errors"]} == {
        "body.preferred_name": "too_long",
        "body.preferred_language": "not_a_choice",
        "body.colour": "not_allowed",
    }


async def test_a_rule_the_service_checks_is_invalid_with_its_field(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.post(
        f"{API}/young-people/me/messages/read",
        json={"up_to": 999_999},
        headers=world.auth("young_person"),
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "up_to", "message": "is not a message in this conversation", "code": "invalid"}
    ]


async def test_a_stale_if_match_is_precondition_failed(
    client: httpx.AsyncClient, world: World
) -> None:
    target = f"{API}/young-people/{world.young_people['own']}"
    response = await client.patch(
        target, json={"preferred_name": "Sam"}, headers=world.auth("pa") | {"If-Match": '"0"'}
    )

    assert response.status_code == 412, response.text
    assert response.json()["code"] == "precondition_failed"


async def test_too_many_sign_ins_are_rate_limited(client: httpx.AsyncClient, world: World) -> None:
    codes = []
    for _ in range(30):
        response = await client.post(
            f"{API}/auth/login", data={"username": world.emails["pa"], "password": "wrong pw!"}
        )
        codes.append((response.status_code, response.json().get("code")))
        if response.status_code == 429:
            break

    assert codes[-1] == (429, "rate_limited")
    assert set(codes[:-1]) == {(401, "not_signed_in")}
