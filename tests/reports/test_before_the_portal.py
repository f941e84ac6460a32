"""A council that started using the portal on 1 June 2026 sees its figures for any earlier date,
from its dated history, equal to what tests/reports/expected.py computes; the measures only the
portal records (responses, entitlements, messages, concerns) are null before that day, with the
date, never 0 %; trends have 12 points on the first day."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.reports import expected
from tests.reports.council import AS_OF, Council, build_council
from tests.reports.test_measures import PORTAL_ONLY, mismatches

GO_LIVE = date(2026, 6, 1)
VIEWS: list[tuple[str, str | None, str | None, date]] = [
    ("org_manager", None, None, date(2024, 2, 29)),
    ("org_manager", "south", None, date(2025, 2, 28)),
    ("org_manager", None, None, date(2026, 3, 31)),
    ("team_manager", None, None, date(2026, 3, 31)),
    ("pa_n1", None, None, date(2026, 5, 31)),
    ("org_manager", None, None, GO_LIVE),
    ("org_manager", None, None, AS_OF),
]


@pytest.fixture
async def council(sessionmaker: async_sessionmaker[AsyncSession]) -> Council:
    async with sessionmaker() as session, session.begin():
        return await build_council(session, created=datetime(2026, 6, 1, 8, tzinfo=UTC))


def _query(council: Council, team: str | None, adviser: str | None, on: date) -> dict[str, str]:
    params = {"as_of": on.isoformat()}
    if team:
        params["team"] = str(council.teams[team])
    if adviser:
        params["adviser"] = str(council.staff[adviser])
    return params


async def test_figures_before_go_live_replay_the_history_and_leave_the_rest_null(
    client: httpx.AsyncClient, council: Council, app: FastAPI
) -> None:
    failures: list[str] = []
    for view in VIEWS:
        response = await client.get(
            "/api/v1/reports/overview",
            params=_query(council, *view[1:]),
            headers=council.auth(view[0]),
        )
        assert response.status_code == 200, response.text
        got = response.json()["measures"]
        failures += mismatches(app, council, view, got, portal_from=GO_LIVE)
        if view[3] < GO_LIVE:
            # Not a 0 of 0 that proves nothing: the history really is counted.
            assert got["plan_current"]["denominator"] > 0, (view, got["plan_current"])
    assert not failures, "\n".join(failures)


async def test_trends_have_twelve_points_on_the_first_day(
    client: httpx.AsyncClient, council: Council, app: FastAPI
) -> None:
    response = await client.get("/api/v1/reports/trends", headers=council.auth("org_manager"))
    assert response.status_code == 200, response.text
    points = response.json()["points"]
    assert len(points) == 12
    failures: list[str] = []
    for point in points:
        on = date.fromisoformat(point["as_of"])
        view = ("org_manager", None, None, on)
        failures += mismatches(app, council, view, point["measures"], portal_from=GO_LIVE)
    assert not failures, "\n".join(failures)
    assert any(date.fromisoformat(p["as_of"]) < GO_LIVE for p in points)


async def test_names_behind_a_history_figure_before_go_live_are_listed(
    client: httpx.AsyncClient, council: Council
) -> None:
    on = date(2026, 3, 31)
    response = await client.get(
        "/api/v1/reports/plan_current/young-people",
        params={"as_of": on.isoformat(), "limit": "200"},
        headers=council.auth("org_manager"),
    )
    assert response.status_code == 200, response.text
    people = expected.people_in_view(council, "org_manager", on, None, None)
    want = expected.plan_current(people, on)
    assert response.json()["total"] == want.pair[1]


@pytest.mark.parametrize("measure", PORTAL_ONLY)
async def test_names_behind_a_portal_only_figure_before_go_live_are_not_recorded(
    client: httpx.AsyncClient, council: Council, measure: str
) -> None:
    response = await client.get(
        f"/api/v1/reports/{measure}/young-people",
        params={"as_of": "2026-05-31"},
        headers=council.auth("org_manager"),
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["errors"][0]["field"] == "query.as_of"
    assert body["errors"][0]["code"] == "not_recorded_before"
    assert body["available_from"] == GO_LIVE.isoformat()
    on_the_day = await client.get(
        f"/api/v1/reports/{measure}/young-people",
        params={"as_of": GO_LIVE.isoformat()},
        headers=council.auth("org_manager"),
    )
    assert on_the_day.status_code == 200, on_the_day.text
