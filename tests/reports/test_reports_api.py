"""Who may ask for which figures, and what bad input gets: a PA only their own; a team or
adviser outside what the caller can see is 404; as_of in the future or before 1900 is 422;
an unknown measure is 404 problem+json; a drill-down comes as CSV on request."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.common.time import today
from portal_api.models import AuditEvent
from tests.reports.council import AS_OF, Council, build_council

OVERVIEW = "/api/v1/reports/overview"


@pytest.fixture
async def council(sessionmaker: async_sessionmaker[AsyncSession]) -> Council:
    async with sessionmaker() as session, session.begin():
        return await build_council(session, size=20)


def _field(response: httpx.Response) -> str:
    assert response.headers["content-type"] == "application/problem+json"
    field: str = response.json()["errors"][0]["field"]
    return field


async def test_as_of_in_the_future_is_invalid(client: httpx.AsyncClient, council: Council) -> None:
    tomorrow = today() + timedelta(days=1)
    response = await client.get(
        OVERVIEW, params={"as_of": tomorrow.isoformat()}, headers=council.auth("org_manager")
    )
    assert response.status_code == 422
    assert _field(response) == "query.as_of"


async def test_as_of_before_the_organisation_existed_gives_history_and_not_recorded(
    client: httpx.AsyncClient, council: Council
) -> None:
    response = await client.get(
        OVERVIEW, params={"as_of": "2019-12-31"}, headers=council.auth("org_manager")
    )
    assert response.status_code == 200, response.text
    measures = response.json()["measures"]
    assert measures["rights_informed"] is None
    assert {n["measure"]: n["available_from"] for n in measures["not_recorded"]} == {
        "rights_informed": "2020-01-01",
        "entitlements_received": "2020-01-01",
        "messages_unanswered": "2020-01-01",
        "accommodation_concerns": "2020-01-01",
    }
    first_day = await client.get(
        OVERVIEW, params={"as_of": "2020-01-01"}, headers=council.auth("org_manager")
    )
    assert first_day.status_code == 200
    assert first_day.json()["measures"]["not_recorded"] == []
    assert first_day.json()["measures"]["rights_informed"] is not None


async def test_as_of_before_1900_is_invalid(client: httpx.AsyncClient, council: Council) -> None:
    response = await client.get(
        OVERVIEW, params={"as_of": "1899-12-31"}, headers=council.auth("org_manager")
    )
    assert response.status_code == 422
    assert _field(response) == "query.as_of"


async def test_as_of_defaults_to_today(client: httpx.AsyncClient, council: Council) -> None:
    response = await client.get(OVERVIEW, headers=council.auth("org_manager"))
    assert response.status_code == 200
    assert date.fromisoformat(response.json()["as_of"]) in (today(), today() - timedelta(days=1))


async def test_unknown_measure_is_not_found(client: httpx.AsyncClient, council: Council) -> None:
    response = await client.get(
        "/api/v1/reports/happiness/young-people", headers=council.auth("org_manager")
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "pa_allocated" in response.json()["detail"]


async def test_every_measure_of_domain_md_is_in_the_overview_and_opens_into_names(
    client: httpx.AsyncClient, council: Council
) -> None:
    # Copied by hand from DOMAIN.md §8.
    named = {
        "pa_allocated",
        "plan_current",
        "first_plan_on_time",
        "plan_copy_received",
        "documents_by_18",
        "rights_informed",
        "in_touch",
        "messages_unanswered",
        "caseload",
        "entitlements_received",
        "pa_changes",
        "accommodation_concerns",
    }
    overview = await client.get(OVERVIEW, headers=council.auth("org_manager"))
    assert set(overview.json()["measures"]) - {"not_recorded"} == named
    for name in named:
        response = await client.get(
            f"/api/v1/reports/{name}/young-people", headers=council.auth("org_manager")
        )
        assert response.status_code == 200, (name, response.text)


async def test_team_or_adviser_of_another_organisation_is_not_found(
    client: httpx.AsyncClient, council: Council
) -> None:
    for params in (
        {"team": str(council.other_team_id)},
        {"adviser": str(council.other_adviser_id)},
    ):
        for path in (OVERVIEW, "/api/v1/reports/in_touch/young-people", "/api/v1/reports/trends"):
            response = await client.get(path, params=params, headers=council.auth("org_manager"))
            assert response.status_code == 404, (path, params)


async def test_a_team_manager_cannot_ask_about_another_team(
    client: httpx.AsyncClient, council: Council
) -> None:
    for params in ({"team": str(council.teams["south"])}, {"adviser": str(council.staff["pa_s1"])}):
        response = await client.get(OVERVIEW, params=params, headers=council.auth("team_manager"))
        assert response.status_code == 404
    own = await client.get(
        OVERVIEW, params={"team": str(council.teams["north"])}, headers=council.auth("team_manager")
    )
    assert own.status_code == 200
    assert own.json()["scope"]["team"]["name"] == "North"


async def test_a_pa_sees_only_their_own_figures(
    client: httpx.AsyncClient, council: Council
) -> None:
    mine = await client.get(
        OVERVIEW, params={"as_of": AS_OF.isoformat()}, headers=council.auth("pa_n1")
    )
    assert mine.status_code == 200
    scope = mine.json()["scope"]
    assert scope["level"] == "adviser"
    assert scope["adviser"] == {"id": str(council.staff["pa_n1"]), "name": "Nadia Noor"}
    asked = await client.get(
        OVERVIEW,
        params={"as_of": AS_OF.isoformat(), "adviser": str(council.staff["pa_n1"])},
        headers=council.auth("pa_n1"),
    )
    assert asked.json() == mine.json()
    caseload = mine.json()["measures"]["caseload"]
    assert [row["adviser_id"] for row in caseload] in ([str(council.staff["pa_n1"])], [])
    for params in (
        {"adviser": str(council.staff["pa_n2"])},  # a colleague in the same team
        {"adviser": str(council.staff["pa_s1"])},
        {"team": str(council.teams["north"])},
    ):
        for path in (
            OVERVIEW,
            "/api/v1/reports/plan_current/young-people",
            "/api/v1/reports/trends",
        ):
            response = await client.get(path, params=params, headers=council.auth("pa_n1"))
            assert response.status_code == 404, (path, params)
    rows = await client.get(
        "/api/v1/reports/caseload/young-people",
        params={"as_of": AS_OF.isoformat(), "limit": "200"},
        headers=council.auth("pa_n1"),
    )
    names = {r["personal_adviser"]["name"] for r in rows.json()["items"]}
    assert names == {"Nadia Noor"}


async def test_exports_are_for_managers(client: httpx.AsyncClient, council: Council) -> None:
    for path in (
        "/api/v1/reports/exports/ssda903-oc3.csv",
        "/api/v1/reports/exports/annex-a-list-9.csv",
    ):
        for who in ("pa_n1", "admin"):
            response = await client.get(path, headers=council.auth(who))
            assert response.status_code == 403, (path, who)


async def test_drill_down_comes_as_csv_by_accept_header_or_format(
    client: httpx.AsyncClient, council: Council
) -> None:
    params = {"as_of": AS_OF.isoformat(), "limit": "2"}
    page = await client.get(
        "/api/v1/reports/in_touch/young-people", params=params, headers=council.auth("org_manager")
    )
    total = page.json()["total"]
    assert len(page.json()["items"]) == 2 < total
    for extra, headers in (
        ({}, {"Accept": "text/csv"}),
        ({"format": "csv"}, {}),
    ):
        response = await client.get(
            "/api/v1/reports/in_touch/young-people",
            params={**params, **extra},
            headers={**council.auth("org_manager"), **headers},
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert "in_touch-2026-10-31.csv" in response.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
        # a download is every row, not one page
        assert len(rows) == total
        assert list(rows[0]) == [
            "external_id",
            "full_name",
            "date_of_birth",
            "age",
            "status",
            "team",
            "personal_adviser",
            "met",
            "reason",
            "days_overdue",
        ]
        assert {r["met"] for r in rows} <= {"yes", "no"}


async def test_parts_belong_to_their_measure(client: httpx.AsyncClient, council: Council) -> None:
    wrong = await client.get(
        "/api/v1/reports/in_touch/young-people",
        params={"document_type": "photo_id"},
        headers=council.auth("org_manager"),
    )
    assert wrong.status_code == 422
    assert _field(wrong) == "query.document_type"
    unknown = await client.get(
        "/api/v1/reports/documents_by_18/young-people",
        params={"document_type": "pet_passport"},
        headers=council.auth("org_manager"),
    )
    assert unknown.status_code == 404
    entitlement = await client.get(
        "/api/v1/reports/entitlements_received/young-people",
        params={"entitlement": "setting-up-home-allowance", "as_of": AS_OF.isoformat()},
        headers=council.auth("org_manager"),
    )
    assert entitlement.status_code == 200
    assert all(
        r["reason"].startswith("Setting up home allowance") for r in entitlement.json()["items"]
    )


async def test_bad_sort_is_invalid(client: httpx.AsyncClient, council: Council) -> None:
    response = await client.get(
        "/api/v1/reports/in_touch/young-people",
        params={"sort": "shoe_size"},
        headers=council.auth("org_manager"),
    )
    assert response.status_code == 422
    assert _field(response) == "query.sort"


async def test_reading_the_names_behind_a_figure_is_audited(
    client: httpx.AsyncClient, council: Council, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await client.get(
        "/api/v1/reports/in_touch/young-people",
        params={"as_of": AS_OF.isoformat()},
        headers=council.auth("team_manager"),
    )
    async with sessionmaker() as session:
        event = (
            await session.execute(
                select(AuditEvent).where(AuditEvent.action == "reports.young_people.read")
            )
        ).scalar_one()
    assert event.actor_id == council.staff["team_manager"]
    assert event.detail["measure"] == "in_touch"
    assert event.detail["as_of"] == "2026-10-31"
