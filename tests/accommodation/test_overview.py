"""The managers' overview: concerns by provider and scheme, satisfaction by scheme, schemes with
young people living there and no senior visit in 12 months, and unsuitable accommodation, each
with the names behind it and limited to the young people the manager may see."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.common.time import LONDON, today
from portal_api.models import AccommodationConcern, SatisfactionResponse
from portal_api.people.legal_status import add_months
from tests.accommodation.support import (
    API,
    account_for,
    backdate,
    concerns_path,
    move,
    ok,
    problem,
    provider,
    scheme,
    visit,
)
from tests.factories import World


async def _overview(client: httpx.AsyncClient, world: World, who: str = "org_manager") -> Any:
    return await ok(client.get(f"{API}/providers/overview", headers=world.auth(who)))


def _days_ago(days: int) -> datetime:
    return datetime.now(LONDON) - timedelta(days=days)


async def test_schemes_without_a_senior_visit_in_12_months_are_listed(
    client: httpx.AsyncClient, world: World
) -> None:
    harbour = await provider(client, world)
    on = today()
    twelve_months_ago = add_months(on, -12)
    exactly = await scheme(client, world, harbour["id"], "Exactly Twelve")
    lapsed = await scheme(client, world, harbour["id"], "A Day Too Long")
    junior_only = await scheme(client, world, harbour["id"], "Junior Visits Only")
    empty = await scheme(client, world, harbour["id"], "Nobody Lives Here")
    # A visit exactly 12 calendar months ago still counts ("no more than 12 months ago").
    await visit(client, world, exactly["id"], twelve_months_ago)
    await visit(client, world, lapsed["id"], twelve_months_ago - timedelta(days=1))
    await visit(client, world, junior_only["id"], on - timedelta(days=3), senior=False)
    await move(client, world, "own", scheme_id=exactly["id"])
    await move(client, world, "colleague", scheme_id=lapsed["id"])
    await move(client, world, "other_team", scheme_id=junior_only["id"])
    assert empty["living_here_now"] == 0

    listed = (await _overview(client, world))["schemes_without_senior_visit"]
    assert [s["scheme_name"] for s in listed] == ["Junior Visits Only", "A Day Too Long"]
    never, late = listed
    assert never["last_senior_visit_on"] is None
    assert late["last_senior_visit_on"] == (twelve_months_ago - timedelta(days=1)).isoformat()
    assert late["living_here_now"] == 1
    assert [p["full_name"] for p in late["young_people"]] == ["Test Person"]
    assert late["provider_name"] == "Harbour Housing"

    # A team manager sees only schemes where their teams' young people live.
    north = (await _overview(client, world, "team_manager"))["schemes_without_senior_visit"]
    assert [s["scheme_name"] for s in north] == ["A Day Too Long"]

    # Someone moving out leaves the scheme with nobody to worry about.
    await move(client, world, "colleague", code="U1", address="Flat 1, New Road", since=on)
    listed = (await _overview(client, world))["schemes_without_senior_visit"]
    assert [s["scheme_name"] for s in listed] == ["Junior Visits Only"]


async def test_young_people_in_unsuitable_accommodation_are_listed_with_code_and_days(
    client: httpx.AsyncClient, world: World
) -> None:
    harbour = await provider(client, world)
    hotel = await scheme(client, world, harbour["id"], "Station Hotel", "W")
    since = today() - timedelta(days=45)
    await move(
        client,
        world,
        "own",
        scheme_id=hotel["id"],
        code="W2",
        since=since,
        reasons={"safety": "Shares a floor with adults"},
    )
    await move(
        client,
        world,
        "other_team",
        code="V2",
        since=today() - timedelta(days=3),
        address="Night shelter",
        reasons={"tenancy_status": "Nightly booking"},
    )
    await move(client, world, "colleague", code="U1", address="Flat 2, High Street")

    rows = (await _overview(client, world))["unsuitable_accommodation"]
    assert [(r["full_name"], r["code"], r["days"]) for r in rows] == [
        ("Amira Person", "W2", 45),
        ("Test Person", "V2", 3),
    ]
    assert rows[0]["since"] == since.isoformat()
    assert rows[0]["scheme_name"] == "Station Hotel"
    assert rows[0]["accommodation_type_name"] == "Bed and breakfast"
    assert rows[1]["scheme_name"] is None

    north = (await _overview(client, world, "team_manager"))["unsuitable_accommodation"]
    assert [r["full_name"] for r in north] == ["Amira Person"]
    theirs = (await _overview(client, world, "other_org_manager"))["unsuitable_accommodation"]
    assert theirs == []


async def test_moving_from_unsuitable_to_suitable_leaves_the_list(
    client: httpx.AsyncClient, world: World
) -> None:
    await move(
        client,
        world,
        "own",
        code="W2",
        since=today() - timedelta(days=100),
        address="Old B&B",
        reasons={"facilities": "No kitchen"},
    )
    assert len((await _overview(client, world))["unsuitable_accommodation"]) == 1
    await move(client, world, "own", code="U1", since=today(), address="Flat 2, High Street")
    assert (await _overview(client, world))["unsuitable_accommodation"] == []


async def test_satisfaction_is_averaged_by_scheme_over_the_last_12_months(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    harbour = await provider(client, world)
    quay = await scheme(client, world, harbour["id"], "Quay House")
    mill = await scheme(client, world, harbour["id"], "Mill Court")
    await move(client, world, "own", scheme_id=quay["id"])
    await move(client, world, "colleague", scheme_id=quay["id"])
    await move(client, world, "other_team", scheme_id=mill["id"])
    amira = world.auth("young_person")
    colleague = await account_for(sessionmaker, world, "colleague")
    other_team = await account_for(sessionmaker, world, "other_team")
    satisfaction = "/api/v1/young-people/me/accommodation/satisfaction"

    async def rate(auth: dict[str, str], rating: int) -> str:
        answer = await ok(client.post(satisfaction, json={"rating": rating}, headers=auth), 201)
        answer_id: str = answer["id"]
        return answer_id

    await rate(amira, 2)
    await rate(colleague, 5)
    old = await rate(colleague, 1)  # more than 12 months ago: not counted
    await backdate(sessionmaker, SatisfactionResponse, old, _days_ago(400))
    await rate(other_team, 4)

    rows = (await _overview(client, world))["satisfaction"]
    by_scheme = {r["scheme_name"]: r for r in rows}
    assert (by_scheme["Quay House"]["average"], by_scheme["Quay House"]["count"]) == (3.5, 2)
    assert (by_scheme["Mill Court"]["average"], by_scheme["Mill Court"]["count"]) == (4.0, 1)
    assert [p["full_name"] for p in by_scheme["Quay House"]["young_people"]] == [
        "Amira Person",
        "Test Person",
    ]
    assert [r["scheme_name"] for r in rows] == ["Quay House", "Mill Court"]  # lowest first

    north = (await _overview(client, world, "team_manager"))["satisfaction"]
    assert [(r["scheme_name"], r["count"]) for r in north] == [("Quay House", 2)]


async def test_concerns_are_counted_by_provider_and_scheme_with_the_oldest_open(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    harbour = await provider(client, world, "Harbour Housing")
    beacon = await provider(client, world, "Beacon Homes")
    quay = await scheme(client, world, harbour["id"], "Quay House")
    mill = await scheme(client, world, harbour["id"], "Mill Court")
    lighthouse = await scheme(client, world, beacon["id"], "Lighthouse")
    await move(client, world, "own", scheme_id=quay["id"])
    await move(client, world, "colleague", scheme_id=mill["id"])
    await move(client, world, "other_team", scheme_id=lighthouse["id"])
    amira = world.auth("young_person")
    colleague = await account_for(sessionmaker, world, "colleague")
    other_team = await account_for(sessionmaker, world, "other_team")

    async def concern(auth: dict[str, str], category: str) -> str:
        body = {"category": category, "text": f"About {category}"}
        raised = await ok(client.post(concerns_path("me"), json=body, headers=auth), 201)
        concern_id: str = raised["id"]
        return concern_id

    oldest = await concern(amira, "repairs")
    await backdate(sessionmaker, AccommodationConcern, oldest, _days_ago(10))
    await concern(amira, "repairs")
    await concern(amira, "cost")
    await concern(colleague, "neighbours")
    await concern(other_team, "safety")
    stale = await concern(other_team, "cleanliness")  # closed long ago: not counted
    await ok(
        client.post(
            f"{concerns_path(world.young_people['other_team'])}/{stale}/close",
            json={"outcome": "Deep clean done."},
            headers=world.auth("org_manager"),
        )
    )
    async with sessionmaker() as session, session.begin():
        row = await session.get(AccommodationConcern, uuid.UUID(stale))
        assert row is not None
        row.created_at = _days_ago(500)
        row.closed_at = _days_ago(480)

    overview = await _overview(client, world)
    concerns = overview["concerns"]
    assert [(p["provider_name"], p["open"]) for p in concerns] == [
        ("Harbour Housing", 4),
        ("Beacon Homes", 1),
    ]
    harbour_row = concerns[0]
    assert harbour_row["oldest_open_days"] == 10
    assert harbour_row["categories"] == {"repairs": 2, "neighbours": 1, "cost": 1}
    assert {p["full_name"]: p["open"] for p in harbour_row["young_people"]} == {
        "Amira Person": 3,
        "Test Person": 1,
    }
    schemes = {s["scheme_name"]: s for s in harbour_row["schemes"]}
    assert (schemes["Quay House"]["open"], schemes["Quay House"]["oldest_open_days"]) == (3, 10)
    assert (schemes["Mill Court"]["open"], schemes["Mill Court"]["oldest_open_days"]) == (1, 0)
    lighthouse_row = concerns[1]["schemes"][0]
    assert lighthouse_row["categories"] == {"safety": 1}
    assert lighthouse_row["total"] == 1
    assert lighthouse_row["outcomes"] == []

    north = (await _overview(client, world, "team_manager"))["concerns"]
    assert [(p["provider_name"], p["open"]) for p in north] == [("Harbour Housing", 4)]


async def test_only_managers_see_the_overview(client: httpx.AsyncClient, world: World) -> None:
    for who, status in (("pa", 403), ("young_person", 403), ("admin", 403), ("anonymous", 401)):
        problem(await client.get(f"{API}/providers/overview", headers=world.auth(who)), status)
    empty = await _overview(client, world, "other_org_manager")
    assert empty["concerns"] == empty["satisfaction"] == []
    assert empty["schemes_without_senior_visit"] == empty["unsuitable_accommodation"] == []
