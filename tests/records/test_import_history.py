"""A council created today imports 18 months of dated history (care periods, plans and copies,
contacts, checklist dates and allocations) and asks, straight away, for the 12-month trends and
the overview three months ago: every figure equals what tests/reports/expected.py computes from the
same records, and what only the portal records is null before today."""

from __future__ import annotations

import json
import random
import uuid
from datetime import date, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.common.time import today
from portal_api.documents.catalogue import catalogue
from portal_api.models import DocumentState, Role
from portal_api.people.legal_status import add_months, add_years
from portal_api.records.import_lines import parse_lines
from portal_api.records.importer import import_records, refresh_statistics
from tests.factories import make_org, make_team, make_token, make_user
from tests.reports.council import Council, Record
from tests.reports.test_measures import mismatches

TEAMS = {"north": "North", "south": "South"}
ADVISERS = {"pa_n1": "north", "pa_n2": "north", "pa_s1": "south", "pa_s2": "south"}
DOCUMENTS = ("national_insurance_number", "birth_certificate", "bank_account")


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange(max(1, (last - first).days + 1)))


def _record(rng: random.Random, n: int, on: date) -> Record:
    """A young person aged 15 to 23 with 18 months of history, all dated on or before ``on``."""
    born = _day(rng, add_years(on, -23), add_years(on, -15))
    r = Record(
        key=f"yp{n}",
        external_id=f"H{n:04d}",
        given_name="Ada",
        family_name=f"H{n:04d}",
        date_of_birth=born,
    )
    start = add_years(born, 14)
    end = _day(rng, add_years(born, 16), add_years(born, 18))
    r.periods = [(start, end if end <= on else None)]
    window = add_months(on, -18)
    moved = _day(rng, add_months(on, -20), on)
    team = rng.choice(list(TEAMS))
    advisers = [a for a, t in ADVISERS.items() if t == team]
    r.allocations = [(team, rng.choice([*advisers, None]), moved)]
    for _ in range(rng.choice((0, 1, 2))):
        if moved >= on:
            break
        moved = _day(rng, moved + timedelta(days=1), on)
        r.allocations.append((team, rng.choice(advisers), moved))
    agreed = _day(rng, window, add_months(on, -5))
    while agreed <= on and rng.random() < 0.85:
        copy = agreed + timedelta(days=rng.randrange(0, 30))
        r.plans.append((agreed, copy if copy <= on and rng.random() < 0.7 else None))
        agreed += timedelta(days=rng.randrange(120, 240))
    r.contacts = sorted({_day(rng, window, on) for _ in range(rng.randrange(0, 8))})
    eighteenth = add_years(born, 18)
    if eighteenth <= on:
        for key in DOCUMENTS:
            reached = eighteenth + timedelta(days=rng.randrange(-200, 60))
            if reached <= on and rng.random() < 0.7:
                r.documents[key] = [(reached, DocumentState.with_young_person)]
    return r


def _line(r: Record, emails: dict[str, str]) -> str:
    allocations = [
        {
            "team": TEAMS[team],
            "personal_adviser_email": emails[adviser] if adviser else None,
            "from": started.isoformat(),
            "to": r.allocations[i + 1][2].isoformat() if i + 1 < len(r.allocations) else None,
        }
        for i, (team, adviser, started) in enumerate(r.allocations)
    ]
    return json.dumps(
        {
            "external_id": r.external_id,
            "given_name": r.given_name,
            "family_name": r.family_name,
            "date_of_birth": r.date_of_birth.isoformat(),
            "gender": "female",
            "team": allocations[-1]["team"],
            "personal_adviser_email": allocations[-1]["personal_adviser_email"],
            "care_periods": [
                {"start": s.isoformat(), "end": e.isoformat() if e else None} for s, e in r.periods
            ],
            "contacts": [{"on": c.isoformat(), "kind": "visit"} for c in r.contacts],
            "plans": [
                {"agreed_on": a.isoformat(), "copy_received_on": c.isoformat() if c else None}
                for a, c in r.plans
            ],
            "documents": [
                {"type": key, "status": state.value, "status_on": on.isoformat()}
                for key, steps in r.documents.items()
                for on, state in steps
            ],
            "allocations": allocations,
        }
    )


@pytest.fixture
async def council(sessionmaker: async_sessionmaker[AsyncSession]) -> Council:
    """A council created today (the factories date it now) that imports its history at once."""
    on = today()
    rng = random.Random(20261204)
    records = [_record(rng, n, on) for n in range(60)]
    async with sessionmaker() as session, session.begin():
        org = await make_org(session, "eastmarsh")
        teams = {key: await make_team(session, org, name) for key, name in TEAMS.items()}
        users = {
            key: await make_user(session, org, Role.personal_adviser, teams=(teams[team],))
            for key, team in ADVISERS.items()
        }
        users["org_manager"] = await make_user(session, org, Role.manager, council_wide=True)
        emails = {key: u.email or "" for key, u in users.items()}
        lines = [_line(r, emails) for r in records]
        result = await import_records(session, org, parse_lines(lines))
        tokens = {"org_manager": await make_token(session, users["org_manager"])}
        types = await catalogue(session, org.id)
        document_types = {t.key: (t.id, tuple(t.conditions)) for t in types}
    async with sessionmaker() as session, session.begin():
        await refresh_statistics(session, result.tables)
    for r in records:
        r.id = uuid.uuid4()
    return Council(
        org_id=org.id,
        other_org_id=uuid.uuid4(),
        records=records,
        teams={key: t.id for key, t in teams.items()},
        staff={key: u.id for key, u in users.items()},
        staff_names={},
        team_of_staff=dict(ADVISERS),
        tokens=tokens,
        document_types=document_types,
        schemes={},
        providers={},
        other_team_id=uuid.uuid4(),
        other_adviser_id=uuid.uuid4(),
    )


async def test_trends_and_last_quarter_are_there_the_day_after_an_import(
    client: httpx.AsyncClient, council: Council, app: FastAPI
) -> None:
    on = today()
    quarter = add_months(on, -3)
    trends = await client.get("/api/v1/reports/trends", headers=council.auth("org_manager"))
    overview = await client.get(
        "/api/v1/reports/overview",
        params={"as_of": quarter.isoformat()},
        headers=council.auth("org_manager"),
    )
    assert trends.status_code == 200, trends.text
    assert overview.status_code == 200, overview.text
    points = trends.json()["points"]
    assert len(points) == 12
    failures: list[str] = []
    for point in [*points, {"as_of": quarter.isoformat(), **overview.json()}]:
        view = ("org_manager", None, None, date.fromisoformat(point["as_of"]))
        failures += mismatches(app, council, view, point["measures"], portal_from=on)
    assert not failures, "\n".join(failures)
    # The history really counts (a figure of 0 of 0 would prove nothing): allocations, plans,
    # contacts and changes of PA before today come from the import.
    got = overview.json()["measures"]
    for name in ("pa_allocated", "plan_current", "in_touch"):
        assert 0 < got[name]["numerator"] < got[name]["denominator"], (name, got[name])
    assert any(p["measures"]["pa_changes"]["numerator"] for p in points)
