"""The figures are cached per date and invalidated by writes (reports/cache.py, db/changes.py):
figures read, then a write through the API (or an import), then the same figures show the change
at once, for several measures and for the organisation, a team and a PA, each checked against
the independent computation of tests/reports/expected.py."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from portal_api.common.time import today
from portal_api.db.base import Base
from portal_api.db.changes import (
    EVERYONE,
    QUIET_TABLES,
    REDIS_KEY,
    MemoryFiguresVersion,
    RedisFiguresVersion,
)
from portal_api.db.session import make_sessionmaker
from portal_api.models import Organisation
from portal_api.records.import_lines import parse_lines
from portal_api.records.importer import import_records
from portal_api.reports.cache import Cached, FiguresCache
from tests.reports import expected
from tests.reports.council import AS_OF, Council, Record, build_council
from tests.reports.test_measures import mismatches
from tests.support import REDIS_URL, require_redis

OVERVIEW = "/api/v1/reports/overview"


@pytest.fixture
async def council(sessionmaker: async_sessionmaker[AsyncSession]) -> Council:
    async with sessionmaker() as session, session.begin():
        return await build_council(session)


def _views(council: Council, r: Record, on: date) -> list[tuple[str, str | None, str | None, date]]:
    """The organisation, the young person's team and their PA, as the manager sees them."""
    held = expected.allocation_on(r, on)
    assert held is not None
    views: list[tuple[str, str | None, str | None, date]] = [
        ("org_manager", None, None, on),
        ("org_manager", held[0], None, on),
    ]
    return views + ([("org_manager", None, held[1], on)] if held[1] else [])


async def _overview(
    client: httpx.AsyncClient, council: Council, view: tuple[str, str | None, str | None, date]
) -> dict[str, Any]:
    who, team, adviser, on = view
    params = {"as_of": on.isoformat()}
    if team:
        params["team"] = str(council.teams[team])
    if adviser:
        params["adviser"] = str(council.staff[adviser])
    response = await client.get(OVERVIEW, params=params, headers=council.auth(who))
    assert response.status_code == 200, response.text
    measures: dict[str, Any] = response.json()["measures"]
    return measures


async def _judged(
    client: httpx.AsyncClient, app: FastAPI, council: Council, views: list[Any]
) -> list[dict[str, Any]]:
    """Every view's figures, each equal to the independent computation."""
    got = [await _overview(client, council, view) for view in views]
    failures = [
        f for view, g in zip(views, got, strict=True) for f in mismatches(app, council, view, g)
    ]
    assert not failures, "\n".join(failures)
    return got


def _allocated(council: Council, on: date) -> list[Record]:
    return [
        r
        for r in council.records
        if expected.in_scope(r, on)
        and expected.status(r, on) in expected.DUTY
        and (held := expected.allocation_on(r, on)) is not None
        and held[1] is not None
    ]


async def test_a_contact_recorded_shows_in_in_touch_at_once_in_every_scope(
    client: httpx.AsyncClient, app: FastAPI, council: Council
) -> None:
    people = expected.people_in_view(council, "org_manager", AS_OF)
    out_of_touch = expected.in_touch(people, AS_OF)
    r = next(
        r
        for r in _allocated(council, AS_OF)
        if r.key in out_of_touch.denominator - out_of_touch.met
    )
    views = _views(council, r, AS_OF)
    before = await _judged(client, app, council, views)
    names = await client.get(
        "/api/v1/reports/in_touch/young-people",
        params={"as_of": AS_OF.isoformat(), "met": "false", "limit": 200},
        headers=council.auth("org_manager"),
    )
    assert str(r.id) in {row["young_person_id"] for row in names.json()["items"]}

    recorded = await client.post(
        f"/api/v1/young-people/{r.id}/contacts",
        json={"contact_on": AS_OF.isoformat(), "kind": "visit"},
        headers=council.auth("org_manager"),
    )
    assert recorded.status_code == 201, recorded.text
    r.contacts.append(AS_OF)

    after = await _judged(client, app, council, views)
    for old, new in zip(before, after, strict=True):
        assert new["in_touch"]["numerator"] == old["in_touch"]["numerator"] + 1
    names = await client.get(
        "/api/v1/reports/in_touch/young-people",
        params={"as_of": AS_OF.isoformat(), "met": "false", "limit": 200},
        headers=council.auth("org_manager"),
    )
    assert str(r.id) not in {row["young_person_id"] for row in names.json()["items"]}


async def test_a_plan_copy_given_shows_in_plan_copy_received_at_once(
    client: httpx.AsyncClient, app: FastAPI, council: Council
) -> None:
    people = expected.people_in_view(council, "org_manager", AS_OF)
    copies = expected.plan_copy_received(people, AS_OF)
    r = next(
        r
        for r in people
        if r.key in copies.denominator - copies.met and expected.allocation_on(r, AS_OF)
    )
    # The version current on AS_OF: versions are numbered in the order they were agreed.
    number = sum(agreed <= AS_OF for agreed, _ in r.plans)
    views = _views(council, r, AS_OF)
    before = await _judged(client, app, council, views)
    given = await client.post(
        f"/api/v1/young-people/{r.id}/plan/versions/{number}/receipts",
        json={"how": "given_in_person", "received_on": AS_OF.isoformat()},
        headers=council.auth("org_manager"),
    )
    assert given.status_code in (200, 201), given.text
    r.plans[number - 1] = (r.plans[number - 1][0], AS_OF)
    after = await _judged(client, app, council, views)
    for old, new in zip(before, after, strict=True):
        got = new["plan_copy_received"]["numerator"]
        assert got == old["plan_copy_received"]["numerator"] + 1


async def test_a_new_adviser_moves_the_young_person_between_pas_figures_at_once(
    client: httpx.AsyncClient, app: FastAPI, council: Council
) -> None:
    on = today()
    r = next(
        r
        for r in _allocated(council, on)
        if r.current_team == "north" and r.current_adviser in ("pa_n1", "pa_n2")
    )
    old_pa = r.current_adviser
    assert old_pa is not None
    new_pa = "pa_n2" if old_pa == "pa_n1" else "pa_n1"
    views = [
        ("org_manager", None, None, on),
        ("org_manager", None, old_pa, on),
        ("org_manager", None, new_pa, on),
        ("team_manager", "north", None, on),
    ]
    before = await _judged(client, app, council, views)
    moved = await client.patch(
        f"/api/v1/young-people/{r.id}",
        json={"personal_adviser_id": str(council.staff[new_pa])},
        headers=council.auth("org_manager"),
    )
    assert moved.status_code == 200, moved.text
    r.allocations.append(("north", new_pa, on))
    after = await _judged(client, app, council, views)
    assert sum(row["count"] for row in after[1]["caseload"]) == (
        sum(row["count"] for row in before[1]["caseload"]) - 1
    )
    assert sum(row["count"] for row in after[2]["caseload"]) == (
        sum(row["count"] for row in before[2]["caseload"]) + 1
    )


async def test_an_import_by_another_process_shows_at_once(
    client: httpx.AsyncClient, council: Council, engine: AsyncEngine
) -> None:
    """``portal import`` runs in its own process: its session bumps no version the server holds,
    so the organisation's generation must change the key."""
    on = today()
    before = await _overview(client, council, ("org_manager", None, None, on))
    line = (
        '{"external_id": "CACHE-1", "given_name": "Iman", "family_name": "Kaya", '
        f'"date_of_birth": "{on.replace(year=on.year - 19, day=1).isoformat()}", '
        '"care_periods": [{"start": "2015-01-01", "end": "'
        f'{on.replace(year=on.year - 1, day=1).isoformat()}"'
        '}], "team": "North"}'
    )
    records = parse_lines([line])
    other_process = make_sessionmaker(engine)  # no figures version, as in the CLI
    async with other_process() as session, session.begin():
        org = await session.scalar(select(Organisation).where(Organisation.id == council.org_id))
        assert org is not None
        await import_records(session, org, records, source="cache-test")
    after = await _overview(client, council, ("org_manager", None, None, on))
    total = sum(row["count"] for row in after["caseload"])
    assert total == sum(row["count"] for row in before["caseload"]) + 1


async def test_a_result_computed_under_an_old_version_is_never_used_under_a_new_one() -> None:
    version = MemoryFiguresVersion()
    cache = FiguresCache()
    slow = await Cached.begin(cache, version)  # a reader takes the version, then reads data...
    assert slow is not None
    await version.bump(EVERYONE)  # ...a write commits and bumps while it reads...
    fresh = await Cached.begin(cache, version)
    assert fresh is not None
    org = Organisation(name="x", slug="x", figures_generation=0)
    actor: Any = type("A", (), {"user": type("U", (), {"id": 1})()})()
    slow_key = slow.key(org, actor, None, None, AS_OF)
    cache.put(slow_key, "from before the write")  # ...and stores what it computed
    assert cache.get(fresh.key(org, actor, None, None, AS_OF)) is None
    org.figures_generation = 1
    assert cache.get(slow.key(org, actor, None, None, AS_OF)) is None


async def test_through_redis_a_bump_on_one_worker_is_seen_by_another() -> None:
    await require_redis()
    one, other = RedisFiguresVersion(REDIS_URL), RedisFiguresVersion(REDIS_URL)
    try:
        seen = await other.current()
        await one.bump(EVERYONE)
        assert await other.current() not in (None, seen)
        assert await one.current() == await other.current()
        # Redis lost the key (a restart): a new token, never one a cache could hold.
        await one._redis.delete(REDIS_KEY)
        assert await other.current() not in (None, seen)
    finally:
        await one.close()
        await other.close()


def test_no_figure_reads_a_table_whose_writes_do_not_bump_the_version() -> None:
    """QUIET_TABLES are skipped by the bump; a measure that starts reading one must move it out."""
    quiet_classes = {
        mapper.class_.__name__
        for mapper in Base.registry.mappers
        if mapper.local_table.name in QUIET_TABLES  # type: ignore[attr-defined]
    }
    assert len(quiet_classes) == len(QUIET_TABLES), "a quiet table with no model: a typo?"
    root = Path(__file__).resolve().parents[2] / "portal_api"
    sources = [
        *sorted((root / "reports" / "measures").glob("*.py")),
        root / "people" / "scope.py",
        root / "documents" / "catalogue.py",
    ]
    for source in sources:
        names = {
            node.id if isinstance(node, ast.Name) else node.attr
            for node in ast.walk(ast.parse(source.read_text()))
            if isinstance(node, ast.Name | ast.Attribute)
        }
        assert not names & quiet_classes, f"{source.name} reads {names & quiet_classes}"
