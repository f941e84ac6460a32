"""The demo council (``portal demo``) seeds through the import path and gives every figure of the
manager's overview something behind it, messages and concerns included."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.demo import DEMO_PASSWORD, seed


async def test_the_demo_council_signs_in_and_its_manager_sees_every_figure(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with sessionmaker() as session, session.begin():
        await seed(session)
    async with sessionmaker() as session, session.begin():
        again = await seed(session)  # running the demo twice keeps one council
    assert again.slug == "eastmarsh"

    login = await client.post(
        "/api/v1/auth/login",
        data={"username": "morgan.manager@eastmarsh.example", "password": DEMO_PASSWORD},
    )
    assert login.status_code == 200, login.text
    token = login.json()["access_token"]
    response = await client.get(
        "/api/v1/reports/overview", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    measures = response.json()["measures"]
    assert measures["pa_allocated"]["denominator"] > 0
    assert (
        0
        < measures["messages_unanswered"]["numerator"]
        < measures["messages_unanswered"]["denominator"]
    )
    assert measures["messages_unanswered"]["median_first_reply_hours"] is not None
    concerns = measures["accommodation_concerns"]
    assert (concerns["numerator"], concerns["denominator"]) == (2, 3)
    assert concerns["by_provider"][0]["provider_name"] == "Harbour Housing"
