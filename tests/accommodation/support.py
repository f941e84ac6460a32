"""Helpers for the Where I live tests: the register and moves made over HTTP as staff would,
accounts for the world's other young people, and counting what is stored."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.common.time import today
from portal_api.models import (
    AccommodationConcern,
    Organisation,
    Role,
    SatisfactionResponse,
    YoungPerson,
)
from tests.factories import World, make_token, make_user

API = "/api/v1"


async def ok(response: Any, status: int = 200) -> Any:
    """Await a request, check its status and return its JSON."""
    response = await response
    assert isinstance(response, httpx.Response)
    assert response.status_code == status, response.text
    return response.json()


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


def fields(response: httpx.Response) -> list[str]:
    return [e["field"] for e in response.json().get("errors", [])]


def concerns_path(young_person: uuid.UUID | str) -> str:
    return f"{API}/young-people/{young_person}/accommodation-concerns"


def accommodation_path(young_person: uuid.UUID | str) -> str:
    return f"{API}/young-people/{young_person}/accommodation"


async def provider(
    client: httpx.AsyncClient, world: World, name: str = "Harbour Housing", who: str = "org_manager"
) -> dict[str, Any]:
    body = {"name": name}
    result: dict[str, Any] = await ok(
        client.post(f"{API}/providers", json=body, headers=world.auth(who)), 201
    )
    return result


async def scheme(
    client: httpx.AsyncClient,
    world: World,
    provider_id: str,
    name: str = "Quay House",
    accommodation_type: str = "D",
    who: str = "org_manager",
) -> dict[str, Any]:
    body = {
        "name": name,
        "address": f"1 {name} Road, Eastmarsh",
        "accommodation_type": accommodation_type,
    }
    result: dict[str, Any] = await ok(
        client.post(f"{API}/providers/{provider_id}/schemes", json=body, headers=world.auth(who)),
        201,
    )
    return result


async def visit(
    client: httpx.AsyncClient,
    world: World,
    scheme_id: str,
    on: date,
    *,
    senior: bool = True,
    who: str = "org_manager",
) -> dict[str, Any]:
    body = {
        "visited_on": on.isoformat(),
        "visitor_name": "Dana Director" if senior else "Quinn Quality",
        "visitor_role": "Director of children's services" if senior else "Quality officer",
        "is_senior": senior,
        "findings": "Clean and calm; two rooms need new locks.",
        "actions": "Provider to fit locks within 14 days.",
    }
    result: dict[str, Any] = await ok(
        client.post(f"{API}/schemes/{scheme_id}/visits", json=body, headers=world.auth(who)),
        201,
    )
    return result


async def move(
    client: httpx.AsyncClient,
    world: World,
    young_person: str,
    *,
    code: str = "D1",
    since: date | None = None,
    scheme_id: str | None = None,
    address: str | None = None,
    reasons: dict[str, str] | None = None,
    who: str = "org_manager",
) -> dict[str, Any]:
    """Record where one of the world's young people lives from ``since`` (default 30 days ago)."""
    body: dict[str, Any] = {
        "code": code,
        "since": (since or today() - timedelta(days=30)).isoformat(),
        "reasons": reasons or {"young_persons_views": "Likes it here."},
    }
    if scheme_id:
        body["scheme_id"] = scheme_id
    if address:
        body["address"] = address
    path = accommodation_path(world.young_people[young_person])
    result: dict[str, Any] = await ok(client.put(path, json=body, headers=world.auth(who)))
    return result


async def account_for(
    sessionmaker: async_sessionmaker[AsyncSession], world: World, young_person: str
) -> dict[str, str]:
    """Sign-in headers for one of the world's young people who has no account yet."""
    async with sessionmaker() as session, session.begin():
        person = await session.get(YoungPerson, world.young_people[young_person])
        assert person is not None
        org = await session.get(Organisation, person.org_id)
        assert org is not None
        user = await make_user(session, org, Role.young_person, young_person=person)
        token = await make_token(session, user)
    return {"Authorization": f"Bearer {token}"}


async def count(sessionmaker: async_sessionmaker[AsyncSession], table: Any) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def backdate(
    sessionmaker: async_sessionmaker[AsyncSession],
    table: type[AccommodationConcern] | type[SatisfactionResponse],
    row_id: str,
    at: datetime,
) -> None:
    """Move a row's ``created_at`` into the past (the API always stamps now)."""
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(table).where(table.id == uuid.UUID(row_id)).values(created_at=at)
        )
