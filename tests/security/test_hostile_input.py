"""Input nobody types, found by fuzzing (tests/fuzz): NUL characters, which PostgreSQL cannot
store or compare, and bodies that are not UTF-8. Each is invalid input (422), never a server
error, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import httpx

from tests.factories import World

API = "/api/v1"


def _fields(response: httpx.Response) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


async def test_nul_in_a_body_is_invalid_input(client: httpx.AsyncClient, world: World) -> None:
    response = await client.patch(
        f"{API}/young-people/{world.young_people['own']}",
        headers=world.auth("pa"),
        json={"given_name": "Am\x00ira"},
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert _fields(response) == ["body.given_name"]


async def test_nul_in_a_push_subscription_is_invalid_input(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.post(
        f"{API}/users/me/push-subscriptions",
        headers=world.auth("young_person"),
        json={"endpoint": "https://fcm.googleapis.com/\x00", "p256dh": "k" * 20, "auth": "secret"},
    )

    assert response.status_code == 422, response.text
    assert _fields(response) == ["body.endpoint"]


async def test_nul_in_a_name_search_is_invalid_input(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(
        f"{API}/young-people", params={"search": "Am\x00"}, headers=world.auth("pa")
    )

    assert response.status_code == 422, response.text
    assert _fields(response) == ["query.search"]


async def test_nul_in_a_sign_in_name_is_invalid_input(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.post(
        f"{API}/auth/login",
        data={"username": f"{world.emails['pa']}\x00", "password": "anything at all"},
    )

    assert response.status_code == 422, response.text
    assert _fields(response) == ["username"]


async def test_a_body_that_is_not_utf8_is_invalid_input(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.post(
        f"{API}/young-people/me/messages",
        headers={
            **world.auth("young_person"),
            "Content-Type": "application/json",
            "Idempotency-Key": "a1b2c3d4-0000-4000-8000-000000000001",
        },
        content=b'{"body": "\xff\xfe"}',
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert _fields(response) == ["body"]
