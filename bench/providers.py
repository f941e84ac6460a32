"""How long the managers' provider overview takes at a council's scale, on PostgreSQL.

    uv run python -m bench.providers [--runs 10] [--schemes 300] [--young-people 5000]

Drops and recreates ``portal_bench_providers``, migrates it, seeds it directly with the ORM
(60 providers, 300 schemes with dated quality visits, 5,000 young people with accommodation
histories, concerns with actions, satisfaction answers), runs ANALYZE as autovacuum would, then
times ``GET /api/v1/providers/overview`` in-process (httpx.AsyncClient over ASGITransport) as an
organisation-wide manager, and as a team manager. Target: median under 300 ms. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import secrets
import statistics
import sys
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped,unused-ignore]
import httpx
from alembic import command
from rich.console import Console
from rich.table import Table
from sqlalchemy import event, insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.auth.users import hash_token
from portal_api.config import Settings
from portal_api.db.migrations import alembic_config
from portal_api.db.session import make_engine, make_sessionmaker
from portal_api.main import create_app
from portal_api.models import (
    AccessToken,
    AccommodationConcern,
    ConcernAction,
    ConcernCategory,
    ConcernStatus,
    ConcernUrgency,
    Gender,
    Organisation,
    Provider,
    QualityVisit,
    Residence,
    Role,
    SatisfactionResponse,
    Scheme,
    Team,
    TeamMembership,
    User,
    YoungPerson,
)

PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1/postgres"
PG_DB = "portal_bench_providers"
PG_URL = f"postgresql+asyncpg://postgres@127.0.0.1/{PG_DB}"
PATH = "/api/v1/providers/overview"
TARGET_MS = 300
TEAMS = 10
ADVISERS_PER_TEAM = 20
SCHEMES_PER_PROVIDER = 5
SCHEME_TYPES = "DDDEETTUCKWV"
CHUNK = 2000
console = Console(width=None if sys.stdout.isatty() else 120)


def _at(day: date, rng: random.Random) -> datetime:
    return datetime(
        day.year, day.month, day.day, rng.randrange(8, 20), rng.randrange(60), tzinfo=UTC
    )


async def _recreate_database() -> None:
    conn = await asyncpg.connect(PG_ADMIN_DSN, timeout=5)
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        await conn.execute(f"CREATE DATABASE {PG_DB}")
    finally:
        await conn.close()


async def _insert(session: AsyncSession, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        await session.execute(insert(model), list(rows[start : start + CHUNK]))


async def seed(session: AsyncSession, schemes_wanted: int, people_wanted: int) -> dict[str, Any]:
    """A council at scale; returns the managers' tokens and what was made."""
    rng = random.Random(20261129)  # the same council every run
    today = date(2026, 11, 29)
    now = datetime.now(UTC)
    org = Organisation(slug="benchshire", name="Benchshire Council", out_of_hours_phone="01632")
    session.add(org)
    await session.flush()
    teams = [Team(org_id=org.id, name=f"Team {i + 1}") for i in range(TEAMS)]
    session.add_all(teams)
    await session.flush()

    def staff(role: Role, name: str) -> dict[str, Any]:
        return {
            "id": uuid.uuid4(),
            "created_at": now,
            "org_id": org.id,
            "email": f"{name}@benchshire.example",
            "hashed_password": "!",  # signs in with a token only
            "display_name": name.replace(".", " ").title(),
            "role": role,
            "is_active": True,
            "is_superuser": False,
            "is_verified": True,
        }

    advisers = {
        team.id: [staff(Role.personal_adviser, f"pa{t}.{i}") for i in range(ADVISERS_PER_TEAM)]
        for t, team in enumerate(teams)
    }
    org_manager = staff(Role.manager, "org.manager")
    team_manager = staff(Role.manager, "team.manager")
    users = [u for team in advisers.values() for u in team] + [org_manager, team_manager]
    await _insert(session, User, users)
    memberships = [
        {"user_id": u["id"], "team_id": team_id} for team_id, team in advisers.items() for u in team
    ] + [{"user_id": team_manager["id"], "team_id": teams[0].id}]
    await _insert(session, TeamMembership, memberships)

    providers: list[dict[str, Any]] = [
        {
            "id": uuid.uuid4(),
            "created_at": now,
            "org_id": org.id,
            "name": f"Provider {i + 1}",
            "commissioned": rng.random() < 0.8,
        }
        for i in range(max(1, schemes_wanted // SCHEMES_PER_PROVIDER))
    ]
    await _insert(session, Provider, providers)
    schemes: list[dict[str, Any]] = [
        {
            "id": uuid.uuid4(),
            "created_at": now,
            "org_id": org.id,
            "provider_id": providers[i % len(providers)]["id"],
            "name": f"Scheme {i + 1}",
            "address": f"{i + 1} Bench Road",
            "accommodation_type": rng.choice(SCHEME_TYPES),
            "commissioned": True,
        }
        for i in range(schemes_wanted)
    ]
    await _insert(session, Scheme, schemes)
    visits: list[dict[str, Any]] = []
    for place in schemes:
        for _ in range(rng.randrange(0, 9)):  # up to 8 visits over three years
            visits.append(
                {
                    "id": uuid.uuid4(),
                    "created_at": now,
                    "org_id": org.id,
                    "scheme_id": place["id"],
                    "visited_on": today - timedelta(days=rng.randrange(1095)),
                    "visitor_name": "Visitor",
                    "visitor_role": "Quality officer",
                    "is_senior": rng.random() < 0.25,
                    "findings": "Findings.",
                    "actions": None,
                    "recorded_by_id": org_manager["id"],
                }
            )
    await _insert(session, QualityVisit, visits)

    people: list[dict[str, Any]] = []
    residences: list[dict[str, Any]] = []
    concerns: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    pas = [(team_id, pa["id"]) for team_id, team in advisers.items() for pa in team]
    for n in range(people_wanted):
        team_id, pa_id = rng.choice(pas)
        person_id = uuid.uuid4()
        people.append(
            {
                "id": person_id,
                "created_at": now,
                "org_id": org.id,
                "external_id": f"B{n:05d}",
                "given_name": f"Young{n}",
                "family_name": f"Person{n % 977}",
                "date_of_birth": today - timedelta(days=rng.randrange(16 * 365, 24 * 365)),
                "gender": rng.choice(list(Gender)),
                "uasc": rng.random() < 0.15,
                "disabled": False,
                "is_parent": False,
                "team_id": team_id,
                "personal_adviser_id": pa_id,
                "preferred_language": "en",
                "version": 1,
                "closed_on": today - timedelta(days=rng.randrange(400))
                if rng.random() < 0.05
                else None,
            }
        )
        # One to three places, the last one current.
        starts = sorted(
            today - timedelta(days=rng.randrange(1, 1500)) for _ in range(rng.randrange(1, 4))
        )
        starts = sorted(set(starts))
        current_scheme: uuid.UUID | None = None
        for i, since in enumerate(starts):
            in_scheme = rng.random() < 0.85
            scheme = rng.choice(schemes) if in_scheme else None
            letter = scheme["accommodation_type"] if scheme else rng.choice("UUUBZSXV")
            unsuitable = letter in "SX" or rng.random() < 0.08
            residences.append(
                {
                    "id": uuid.uuid4(),
                    "created_at": now,
                    "org_id": org.id,
                    "young_person_id": person_id,
                    "scheme_id": scheme["id"] if scheme else None,
                    "address": None if scheme else "A private address",
                    "code": f"{letter}{2 if unsuitable else 1}",
                    "suitable": not unsuitable,
                    "since_on": since,
                    "until_on": starts[i + 1] if i + 1 < len(starts) else None,
                    "reasons": {"safety": "Reason."} if unsuitable else {},
                    "recorded_by_id": pa_id,
                }
            )
            current_scheme = scheme["id"] if scheme else None
        for _ in range(rng.choices((0, 1, 2, 3), weights=(60, 25, 10, 5))[0]):
            raised = today - timedelta(days=rng.randrange(720))
            status = rng.choices(list(ConcernStatus), weights=(30, 20, 50))[0]
            concern_id = uuid.uuid4()
            closed = status is ConcernStatus.closed
            concerns.append(
                {
                    "id": concern_id,
                    "created_at": _at(raised, rng),
                    "org_id": org.id,
                    "young_person_id": person_id,
                    "scheme_id": current_scheme
                    if rng.random() < 0.8
                    else rng.choice(schemes)["id"],
                    "category": rng.choice(list(ConcernCategory)),
                    "urgency": rng.choice(list(ConcernUrgency)),
                    "text": "What is wrong.",
                    "anonymous_to_provider": rng.random() < 0.7,
                    "status": status,
                    "acknowledged_at": _at(raised, rng)
                    if status is not ConcernStatus.open
                    else None,
                    "acknowledged_by_id": pa_id if status is not ConcernStatus.open else None,
                    "outcome": "What happened." if closed else None,
                    "closed_at": _at(min(today, raised + timedelta(days=rng.randrange(60))), rng)
                    if closed
                    else None,
                    "closed_by_id": pa_id if closed else None,
                    "version": 1,
                }
            )
            if status is not ConcernStatus.open:
                actions.append(
                    {
                        "id": uuid.uuid4(),
                        "created_at": _at(raised, rng),
                        "concern_id": concern_id,
                        "note": "Did something.",
                        "by_id": pa_id,
                    }
                )
        for _ in range(rng.randrange(0, 4)):  # answers over the last 18 months
            answers.append(
                {
                    "id": uuid.uuid4(),
                    "created_at": _at(today - timedelta(days=rng.randrange(548)), rng),
                    "org_id": org.id,
                    "young_person_id": person_id,
                    "scheme_id": current_scheme,
                    "rating": rng.randint(1, 5),
                    "comment": None,
                }
            )
    await _insert(session, YoungPerson, people)
    await _insert(session, Residence, residences)
    await _insert(session, AccommodationConcern, concerns)
    await _insert(session, ConcernAction, actions)
    await _insert(session, SatisfactionResponse, answers)

    tokens = {}
    for label, user in (("org_manager", org_manager), ("team_manager", team_manager)):
        token = secrets.token_urlsafe(32)
        session.add(AccessToken(token_hash=hash_token(token), user_id=user["id"]))
        tokens[label] = token
    return {
        "tokens": tokens,
        "counts": {
            "providers": len(providers),
            "schemes": len(schemes),
            "quality visits": len(visits),
            "young people": len(people),
            "residences": len(residences),
            "concerns": len(concerns),
            "concern actions": len(actions),
            "satisfaction answers": len(answers),
        },
    }


async def _time(
    client: httpx.AsyncClient, token: str, runs: int, statements: list[int]
) -> tuple[list[float], int, int]:
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(2):  # warm-up: connection pool, statement caches
        assert (await client.get(PATH, headers=headers)).status_code == 200
    timings = []
    size = 0
    statements.clear()
    for _ in range(runs):
        started = time.perf_counter()
        response = await client.get(PATH, headers=headers)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
        size = len(response.content)
    return timings, size, len(statements) // runs


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    os_name = next(
        (
            line.split("=", 1)[1].strip('"')
            for line in Path("/etc/os-release").read_text().splitlines()
            if line.startswith("PRETTY_NAME=")
        ),
        platform.platform(),
    )
    return (
        f"{os.cpu_count()} vCPUs ({cpu}), {mem_kib / 1024 / 1024:.1f} GiB, {os_name}, "
        f"Python {platform.python_version()}"
    )


async def run(runs: int, schemes: int, young_people: int) -> None:
    engine = make_engine(PG_URL)
    started = time.perf_counter()
    async with make_sessionmaker(engine)() as session, session.begin():
        made = await seed(session, schemes, young_people)
    async with engine.begin() as conn:
        await conn.execute(text("ANALYZE"))
        pg_version = (await conn.execute(text("SHOW server_version"))).scalar_one()
    await engine.dispose()
    console.print(f"seeded in {time.perf_counter() - started:.1f} s: {made['counts']}")

    app = create_app(Settings(environment="test", database_url=PG_URL))
    statements: list[int] = []

    @event.listens_for(app.state.engine.sync_engine, "before_cursor_execute")
    def _count(*_: Any) -> None:
        statements.append(1)

    table = Table(title=f"GET {PATH}: {runs} runs, PostgreSQL {pg_version}")
    for column in ("as", "median ms", "min ms", "max ms", "statements", "response KiB"):
        table.add_column(column, justify="left" if column == "as" else "right")
    load_before = os.getloadavg()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for label, token in made["tokens"].items():
            timings, size, per_request = await _time(client, token, runs, statements)
            median = statistics.median(timings) * 1000
            table.add_row(
                label.replace("_", " "),
                f"[bold]{median:.0f}[/bold]" + (" ✓" if median < TARGET_MS else " ✗"),
                f"{min(timings) * 1000:.0f}",
                f"{max(timings) * 1000:.0f}",
                str(per_request),
                f"{size / 1024:.0f}",
            )
    await app.state.engine.dispose()
    console.print(table)
    console.print(f"machine: {machine()}")
    console.print(f"load average before/after: {load_before[0]:.2f} / {os.getloadavg()[0]:.2f}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--schemes", type=int, default=300)
    parser.add_argument("--young-people", type=int, default=5000)
    args = parser.parse_args(argv)
    asyncio.run(_recreate_database())
    command.upgrade(alembic_config(PG_URL), "head")  # runs its own event loop
    asyncio.run(run(args.runs, args.schemes, args.young_people))


if __name__ == "__main__":
    main()
