"""How fast the oversight figures are on PostgreSQL for a council of any size.

    uv run python -m bench.reports --young-people 50000 [--seed 1] [--runs 5] [--keep]
    uv run python -m bench.reports --young-people 5000 --fresh-import [--stale-statistics]
    uv run python -m bench.reports --keep --fresh-import [--stale-statistics] [--give-up-after 200]

``--fresh-import`` loads the council as in step 1 and asks for the overview and trends at once,
with nothing else written and no ANALYZE by the benchmark: what a council that imports every night
meets every morning (the import's own statistics are all the planner has). ``--stale-statistics``
then first makes the planner forget every table's statistics, as it stands before any ANALYZE
(``_forget_statistics``): statistics stale for a reason other than an import. With ``--keep`` the
last run's database is asked again, without loading: ANALYZEd first, or forgotten first with
``--stale-statistics``. A figure that has not answered after ``--give-up-after`` seconds is
recorded as "> N s" and its query cancelled.

1. Writes a synthetic council (bench/synthetic.py) and loads it the way a council would: a fresh
   database ``portal_bench_reports``, ``portal migrate``, ``portal create-org``, a personal adviser
   account per adviser email in the file and a manager (``portal create-user``), ``portal import``.
2. Adds what an import cannot bring: young people's responses to the local offer's core pages,
   entitlement records, two months of conversations with their PA (some answered late, some not
   at all) and concerns about where they live, straight into their tables (COPY), as if they had
   used the app.
3. Times, in-process through httpx.AsyncClient over ASGITransport, as an organisation-wide manager:
   the overview, one drill-down page (plan_current, 50 rows) and the SSDA903 OC3 export; the
   median of ``--runs`` after one warm-up each. Prints EXPLAIN (ANALYZE, BUFFERS) highlights of the
   slowest query the overview ran. See bench/README.md ("Reports").
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped,unused-ignore]
import httpx
from sqlalchemy import event
from sqlalchemy.engine import Connection
from typer.testing import CliRunner

from bench import synthetic
from portal_api.common.time import today
from portal_api.reports.measures.queries import WORK_MEM

PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1/postgres"
PG_DB = os.environ.get("BENCH_REPORTS_DB", "portal_bench_reports")
PG_DSN = f"postgresql://postgres@127.0.0.1/{PG_DB}"
PG_URL = f"postgresql+asyncpg://postgres@127.0.0.1/{PG_DB}"
ORG = "bench"
PASSWORD = "bench password 1"  # a throwaway database on this machine only
MANAGER = "manager@bench.example"
CORE_SLUGS = (
    "access-to-your-records",
    "advocacy",
    "documents-by-18",
    "emergency-out-of-hours",
    "homeless-at-16-or-17",
    "how-to-complain",
    "pathway-plan",
    "your-personal-adviser",
    "your-rights",
)
CLAIMABLE = (
    "care-leaver-letter",
    "council-tax-relief",
    "junior-isa",
    "setting-up-home-allowance",
    "staying-put",
)
ENTITLEMENT_STATUSES = (
    "not_started",
    "applied",
    "received",
    "received",
    "declined",
    "not_eligible",
)
REPO = Path(__file__).resolve().parent.parent


def _portal(*args: str) -> float:
    """Run a ``portal`` command in its own process; returns seconds taken."""
    started = time.perf_counter()
    subprocess.run(["uv", "run", "portal", *args], check=True, cwd=REPO)
    return time.perf_counter() - started


async def recreate_database(name: str = PG_DB) -> None:
    """Drop and create the named PostgreSQL database (benchmarks only: each names its own)."""
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


def _create_accounts(advisers: list[tuple[str, str]]) -> float:
    """``portal create-user`` for each adviser and the manager, in this process (a process per
    account would spend minutes starting Python); the same command, the same code path."""
    from portal_api import cli

    runner = CliRunner()
    started = time.perf_counter()
    accounts = [(MANAGER, "manager", None), *((e, "personal_adviser", t) for e, t in advisers)]
    for email, role, team in accounts:
        args = ["create-user", "--org", ORG, "--role", role, "--email", email]
        args += ["--password", PASSWORD, "--name", email.split("@")[0].upper()]
        if team:
            args += ["--team", team]
        if role == "manager":
            # Organisation-wide: a manager in no team who is not council-wide sees no one, and
            # the figures would be timed over nobody.
            args.append("--council-wide")
        result = runner.invoke(cli.app, args)
        if result.exit_code != 0:
            raise SystemExit(f"create-user {email} failed: {result.output}")
    return time.perf_counter() - started


async def _conversations(
    connection: Any, rng: random.Random, org_id: uuid.UUID, people: list[Any]
) -> int:
    """Two months of messages: about 40 % of young people write, a few times each; their PA
    answers most within minutes or hours, some after days, some never."""
    now = datetime.now(UTC)
    rows = []
    for row in people:
        if row["personal_adviser_id"] is None or rng.random() >= 0.4:
            continue
        for _ in range(rng.randint(1, 6)):
            sent = now - timedelta(days=rng.randrange(0, 60), seconds=rng.randrange(86400))
            rows.append((org_id, row["id"], None, "young_person", "text", "Hi", sent, False))
            if rng.random() < 0.85:
                wait = timedelta(minutes=rng.choice([3, 30, 120, 600, 1600, 4000, 9000]))
                if sent + wait < now:
                    rows.append(
                        (
                            org_id,
                            row["id"],
                            row["personal_adviser_id"],
                            "personal_adviser",
                            "text",
                            "Hello",
                            sent + wait,
                            False,
                        )
                    )
    rows.sort(key=lambda r: r[6])  # ids in the order they were sent
    await connection.copy_records_to_table(
        "message",
        records=rows,
        columns=[
            "org_id",
            "young_person_id",
            "sender_id",
            "sender_role",
            "kind",
            "body",
            "created_at",
            "to_duty_queue",
        ],
    )
    return len(rows)


async def _concerns(
    connection: Any, rng: random.Random, org_id: uuid.UUID, people: list[Any]
) -> int:
    """Concerns about where they live, from about 5 % of young people, at a handful of schemes."""
    schemes = []
    for p in range(6):
        provider = uuid.uuid4()
        await connection.execute(
            "INSERT INTO provider (id, created_at, org_id, name, commissioned)"
            " VALUES ($1, now(), $2, $3, true)",
            provider,
            org_id,
            f"Provider {p + 1}",
        )
        for n in range(5):
            scheme = uuid.uuid4()
            await connection.execute(
                "INSERT INTO scheme (id, created_at, org_id, provider_id, name, address,"
                " accommodation_type, commissioned) VALUES ($1, now(), $2, $3, $4, '-', 'D', true)",
                scheme,
                org_id,
                provider,
                f"Scheme {p + 1}.{n + 1}",
            )
            schemes.append(scheme)
    now = datetime.now(UTC)
    rows = []
    for row in people:
        if rng.random() >= 0.05:
            continue
        raised = now - timedelta(days=rng.randrange(0, 500), seconds=rng.randrange(86400))
        closed = raised + timedelta(days=rng.randrange(1, 90)) if rng.random() < 0.7 else None
        if closed is not None and closed > now:
            closed = None
        rows.append(
            (
                uuid.uuid4(),
                raised,
                org_id,
                row["id"],
                rng.choice([*schemes, None]),
                rng.choice(["repairs", "safety", "neighbours", "cost"]),
                rng.choice(["routine", "soon", "urgent"]),
                "-",
                True,
                "closed" if closed else "open",
                closed,
                1,
            )
        )
    await connection.copy_records_to_table(
        "accommodation_concern",
        records=rows,
        columns=[
            "id",
            "created_at",
            "org_id",
            "young_person_id",
            "scheme_id",
            "category",
            "urgency",
            "text",
            "anonymous_to_provider",
            "status",
            "closed_at",
            "version",
        ],
    )
    return len(rows)


async def _app_usage(seed: int) -> tuple[int, int, int, int]:
    """Responses to core pages, entitlement records, messages and concerns, as the app would
    have made them."""
    rng = random.Random(seed)
    connection = await asyncpg.connect(PG_DSN)
    try:
        org_id = await connection.fetchval("SELECT id FROM organisation WHERE slug = $1", ORG)
        people = await connection.fetch(
            "SELECT id, personal_adviser_id FROM young_person WHERE org_id = $1", org_id
        )
        now = datetime.now(UTC)
        responses, records = [], []
        for row in people:
            for slug in CORE_SLUGS:
                if rng.random() < 0.6:
                    at = now - timedelta(days=rng.randrange(1, 400), seconds=rng.randrange(86400))
                    responses.append(
                        (uuid.uuid4(), at, org_id, row["id"], slug, 1, "understood", True)
                    )
            for slug in CLAIMABLE:
                if rng.random() < 0.3:
                    on = today() - timedelta(days=rng.randrange(1, 700))
                    at = datetime.combine(on, datetime.min.time(), tzinfo=UTC)
                    status = rng.choice(ENTITLEMENT_STATUSES)
                    records.append((uuid.uuid4(), at, org_id, row["id"], slug, status, on))
        await connection.copy_records_to_table(
            "local_offer_response",
            records=responses,
            columns=[
                "id",
                "created_at",
                "org_id",
                "young_person_id",
                "slug",
                "revision",
                "response",
                "applied_to_them",
            ],
        )
        await connection.copy_records_to_table(
            "entitlement_record",
            records=records,
            columns=[
                "id",
                "created_at",
                "org_id",
                "young_person_id",
                "slug",
                "status",
                "status_on",
            ],
        )
        messages = await _conversations(connection, rng, org_id, people)
        concerns = await _concerns(connection, rng, org_id, people)
        # The council's records go back years before it started using the portal; date the
        # organisation two years back so earlier figures (trends) can be asked for.
        await connection.execute(
            "UPDATE organisation SET created_at = now() - interval '2 years' WHERE id = $1", org_id
        )
        await connection.execute("ANALYZE")
        return len(responses), len(records), messages, concerns
    finally:
        await connection.close()


async def _median_ms(
    client: httpx.AsyncClient, path: str, params: dict[str, str], runs: int
) -> tuple[float, float, httpx.Response]:
    """(median of ``runs`` in ms, the first call in ms, the last response)."""
    started = time.perf_counter()
    response = await client.get(path, params=params)  # warm-up, reported as the first call
    first = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.text[:500]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = await client.get(path, params=params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text[:500]
    return statistics.median(times), first, response


async def _out_of_touch(client: httpx.AsyncClient, on: str, count: int) -> list[str]:
    """``count`` young people out of touch on ``on``, for a PA's contact each."""
    page = await client.get(
        "/api/v1/reports/in_touch/young-people",
        params={"as_of": on, "met": "false", "limit": str(count)},
    )
    assert page.status_code == 200, page.text[:500]
    people = [row["young_person_id"] for row in page.json()["items"]]
    assert len(people) == count, "not enough young people out of touch to write to"
    return people


async def _record_contact(client: httpx.AsyncClient, yp: str, on: str) -> None:
    """A PA's visit to ``yp`` on ``on``, through the API."""
    recorded = await client.post(
        f"/api/v1/young-people/{yp}/contacts", json={"contact_on": on, "kind": "visit"}
    )
    assert recorded.status_code == 201, recorded.text[:500]


async def _after_writes(client: httpx.AsyncClient, on: str, runs: int) -> dict[str, Any]:
    """The miss a council meets all day: a PA records a contact, then the manager asks again.
    The kept figures (reports/measures/standing.py) fetch and judge that young person alone; the
    trends' twelve month-ends too, once trends have been asked for. Each write is to a different
    young person, and the figures after it are checked to have moved."""
    people = await _out_of_touch(client, on, runs)
    overview_ms: list[float] = []
    drill_ms: list[float] = []
    trends_ms: list[float] = []
    before = (await client.get("/api/v1/reports/overview", params={"as_of": on})).json()
    for yp in people:
        await _record_contact(client, yp, on)
        started = time.perf_counter()
        after = await client.get("/api/v1/reports/overview", params={"as_of": on})
        overview_ms.append((time.perf_counter() - started) * 1000)
        assert after.status_code == 200, after.text[:500]
        moved = after.json()["measures"]["in_touch"]["numerator"]
        assert moved == before["measures"]["in_touch"]["numerator"] + 1, "the write not counted"
        before = after.json()
        started = time.perf_counter()
        names = await client.get(
            "/api/v1/reports/in_touch/young-people",
            params={"as_of": on, "met": "false", "limit": "50"},
        )
        drill_ms.append((time.perf_counter() - started) * 1000)
        assert names.status_code == 200, names.text[:500]
        started = time.perf_counter()
        trends = await client.get("/api/v1/reports/trends")
        trends_ms.append((time.perf_counter() - started) * 1000)
        assert trends.status_code == 200, trends.text[:500]
    return {
        "overview_after_write_ms": statistics.median(overview_ms),
        "overview_after_write_all": [round(ms) for ms in overview_ms],
        "drill_down_after_write_ms": statistics.median(drill_ms),
        "drill_down_after_write_total": names.json()["total"],
        "trends_after_write_ms": statistics.median(trends_ms),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


async def _made_ready(app: Any, client: httpx.AsyncClient, on: str, runs: int) -> dict[str, Any]:
    """The background pass (reports/ready.py): its first run, as at start-up, with nothing kept
    (every council's console dates afresh); a run with nothing written since; and ``runs`` times
    a PA's contact, the pass after it, then the manager's trends and overview, the first calls
    after that pass (what a manager meets when the pass has run since the last write)."""
    from portal_api.reports.ready import make_ready

    state = app.state

    async def one_pass() -> float:
        started = time.perf_counter()
        await make_ready(
            state.sessionmaker, state.library, state.figures_cache, state.figures_version
        )
        return (time.perf_counter() - started) * 1000

    state.figures_cache.clear()
    results: dict[str, Any] = {"ready_first_ms": await one_pass()}
    results["ready_idle_ms"] = await one_pass()
    people = await _out_of_touch(client, on, runs)
    after_write: list[float] = []
    trends_ms: list[float] = []
    overview_ms: list[float] = []
    for yp in people:
        await _record_contact(client, yp, on)
        after_write.append(await one_pass())
        started = time.perf_counter()
        trends = await client.get("/api/v1/reports/trends")
        trends_ms.append((time.perf_counter() - started) * 1000)
        assert trends.status_code == 200, trends.text[:500]
        started = time.perf_counter()
        overview = await client.get("/api/v1/reports/overview", params={"as_of": on})
        overview_ms.append((time.perf_counter() - started) * 1000)
        assert overview.status_code == 200, overview.text[:500]
    results["ready_after_write_ms"] = statistics.median(after_write)
    results["trends_ready_ms"] = statistics.median(trends_ms)
    results["trends_ready_all"] = [round(ms) for ms in trends_ms]
    results["overview_ready_ms"] = statistics.median(overview_ms)
    results["rss_ready_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return results


async def _measure(runs: int) -> dict[str, Any]:
    os.environ["PORTAL_DATABASE_URL"] = PG_URL
    from portal_api.config import Settings
    from portal_api.main import create_app

    app = create_app(Settings(database_url=PG_URL, environment="dev"))
    statements: list[tuple[float, str, Any]] = []

    def _before(conn: Connection, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        conn.info["started"] = time.perf_counter()

    def _after(conn: Connection, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        statements.append((time.perf_counter() - conn.info["started"], statement, params))

    engine = app.state.engine.sync_engine
    transport = httpx.ASGITransport(app=app)
    results: dict[str, Any] = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        login = await client.post(
            "/api/v1/auth/login", data={"username": MANAGER, "password": PASSWORD}
        )
        assert login.status_code == 200, login.text
        client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        on = today().isoformat()
        results["overview_ms"], results["overview_first_ms"], overview = await _median_ms(
            client, "/api/v1/reports/overview", {"as_of": on}, runs
        )
        results["overview"] = overview.json()["measures"]
        results["drill_down_ms"], results["drill_down_first_ms"], page = await _median_ms(
            client,
            "/api/v1/reports/plan_current/young-people",
            {"as_of": on, "limit": "50", "met": "false"},
            runs,
        )
        results["drill_down_total"] = page.json()["total"]
        year = on[:4] if on[5:] >= "03-31" else str(int(on[:4]) - 1)
        results["oc3_ms"], results["oc3_first_ms"], oc3 = await _median_ms(
            client, "/api/v1/reports/exports/ssda903-oc3.csv", {"year": year}, runs
        )
        results["oc3_rows"] = oc3.text.count("\n") - 1
        results["oc3_year"] = year
        started = time.perf_counter()
        trends = await client.get("/api/v1/reports/trends")
        assert trends.status_code == 200, trends.text[:500]
        results["trends_ms"] = (time.perf_counter() - started) * 1000
        results["trends_points"] = len(trends.json()["points"])
        # The cache (reports/cache.py): the calls above after the first were hits. A miss (the
        # first request after any write) pays the figures' whole cost: measured here with the
        # cache emptied before each call, and trends again once cached.
        results["trends_cached_ms"], _, _ = await _median_ms(
            client, "/api/v1/reports/trends", {}, runs
        )
        misses = []
        for _ in range(runs):
            app.state.figures_cache.clear()
            started = time.perf_counter()
            missed = await client.get("/api/v1/reports/overview", params={"as_of": on})
            misses.append((time.perf_counter() - started) * 1000)
            assert missed.status_code == 200, missed.text[:500]
        results["overview_miss_ms"] = statistics.median(misses)
        results.update(await _after_writes(client, on, runs))
        results.update(await _made_ready(app, client, on, runs))
        app.state.figures_cache.clear()
        event.listen(engine, "before_cursor_execute", _before)
        event.listen(engine, "after_cursor_execute", _after)
        await client.get("/api/v1/reports/overview", params={"as_of": on})
        event.remove(engine, "before_cursor_execute", _before)
        event.remove(engine, "after_cursor_execute", _after)
        results["overview_queries"] = [(round(s * 1000, 1), q[:90]) for s, q, _ in statements]
        seconds, heaviest, params = max(statements, key=lambda s: s[0])
        async with app.state.engine.begin() as conn:
            # The same settings the reports set for their own transaction (queries.connection).
            await conn.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
            await conn.exec_driver_sql(f"SET LOCAL work_mem = '{WORK_MEM}'")
            await conn.exec_driver_sql("SET LOCAL enable_nestloop = off")
            plan = await conn.exec_driver_sql(
                "EXPLAIN (ANALYZE, BUFFERS) " + heaviest, tuple(params) if params else ()
            )
            results["explain"] = [row[0] for row in plan.all()]
        results["heaviest_sql"] = heaviest
        results["heaviest_ms"] = round(seconds * 1000, 1)
    await app.state.engine.dispose()
    return results


async def _forget_statistics() -> list[str]:
    """Make the planner see every table of the bench database as it does a table that has been
    filled but never analysed, which is what it saw straight after the old ``portal import`` (the
    tables created empty by ``portal migrate``, filled in one transaction, no ANALYZE):
    no column statistics (``pg_statistic``) and ``reltuples = -1``, ``relpages = 0`` in
    ``pg_class``, so row counts come from the files' sizes and every condition's selectivity is a
    default guess. Catalogue writes need a superuser (the bench connects as ``postgres``).
    Autovacuum does not undo it by itself: it analyses after rows change, and none do here; the
    run prints ``pg_stat_user_tables``' last autoanalyze to show it."""
    connection = await asyncpg.connect(PG_DSN)
    try:
        rows = await connection.fetch(
            "SELECT relid, relname FROM pg_stat_user_tables WHERE schemaname = 'public'"
        )
        oids = [row["relid"] for row in rows]
        await connection.execute("DELETE FROM pg_statistic WHERE starelid = ANY($1::oid[])", oids)
        await connection.execute(
            "UPDATE pg_class SET reltuples = -1, relpages = 0, relallvisible = 0"
            " WHERE oid = ANY($1::oid[])",
            oids,
        )
        tables = [row["relname"] for row in rows]
        return tables
    finally:
        await connection.close()


async def _analyse() -> None:
    connection = await asyncpg.connect(PG_DSN)
    try:
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


async def _last_autoanalyze() -> Any:
    connection = await asyncpg.connect(PG_DSN)
    try:
        return await connection.fetchval(
            "SELECT max(last_autoanalyze) FROM pg_stat_user_tables WHERE schemaname = 'public'"
        )
    finally:
        await connection.close()


async def _cancel_leftovers() -> None:
    """A request given up on may leave its query running in PostgreSQL: end it, so the next
    figure is not timed against it."""
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()",
            PG_DB,
        )
    finally:
        await admin.close()


async def _straight_after_import(give_up_after: float) -> dict[str, float]:
    """The first overview and trends after ``portal import``, nothing in between; a figure that
    has not answered after ``give_up_after`` seconds is recorded as infinite."""
    os.environ["PORTAL_DATABASE_URL"] = PG_URL
    from portal_api.config import Settings
    from portal_api.main import create_app

    app = create_app(Settings(database_url=PG_URL, environment="dev"))
    transport = httpx.ASGITransport(app=app)
    results: dict[str, float] = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        login = await client.post(
            "/api/v1/auth/login", data={"username": MANAGER, "password": PASSWORD}
        )
        assert login.status_code == 200, login.text
        client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        for name, path, params in (
            ("overview", "/api/v1/reports/overview", {"as_of": today().isoformat()}),
            ("trends", "/api/v1/reports/trends", {}),
        ):
            started = time.perf_counter()
            try:
                response = await asyncio.wait_for(
                    client.get(path, params=params, timeout=1800), give_up_after
                )
            except TimeoutError:
                results[f"{name}_s"] = float("inf")
                await _cancel_leftovers()
                continue
            results[f"{name}_s"] = time.perf_counter() - started
            assert response.status_code == 200, response.text[:500]
            if name == "overview":
                # Young people in the figures: a timing over nobody would prove nothing.
                caseload = response.json()["measures"]["caseload"]
                results["in_scope"] = sum(row["count"] for row in caseload)
    await app.state.engine.dispose()
    return results


_ACTUAL = re.compile(r"actual time=[\d.]+\.\.([\d.]+) rows=(\d+)")


def _highlights(lines: list[str], min_ms: float = 40.0) -> list[str]:
    """Plan nodes that took ``min_ms`` or more (to their last row), sorts that spilled to disk,
    and the planning and execution times: where the heaviest query spends its time."""
    kept = []
    for line in lines:
        found = _ACTUAL.search(line)
        slow = found is not None and float(found[1]) >= min_ms
        if slow or "Disk" in line or "Planning Time" in line or "Execution Time" in line:
            node = line.split("(cost=")[0].rstrip()
            timing = f"  [{found[1]} ms, {found[2]} rows]" if found else ""
            kept.append(f"{node}{timing}")
    return kept


def _seconds(value: float, give_up_after: float) -> str:
    return f"> {give_up_after:.0f} s" if value == float("inf") else f"{value:.2f} s"


def _first_figures(args: argparse.Namespace) -> None:
    if args.stale_statistics:
        tables = asyncio.run(_forget_statistics())
        state = f"statistics forgotten for {len(tables)} tables"
    elif args.keep:
        asyncio.run(_analyse())
        state = "after ANALYZE"
    else:
        state = "with the import's own statistics"
    before = asyncio.run(_last_autoanalyze())
    fresh = asyncio.run(_straight_after_import(args.give_up_after))
    after = asyncio.run(_last_autoanalyze())
    in_scope = f"{fresh['in_scope']:.0f}" if "in_scope" in fresh else "?"
    print(
        f"first figures, {state}: overview {_seconds(fresh['overview_s'], args.give_up_after)}"
        f" ({in_scope} young people in scope), trends"
        f" {_seconds(fresh['trends_s'], args.give_up_after)} (first calls)"
    )
    if after != before:
        print(f"  autovacuum analysed a table during the run (at {after}): not a clean run")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Oversight figures on PostgreSQL")
    parser.add_argument("--young-people", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--keep", action="store_true", help="Reuse the database loaded by the last run"
    )
    parser.add_argument(
        "--fresh-import",
        action="store_true",
        help="Ask for the overview and trends straight after the import, nothing in between",
    )
    parser.add_argument(
        "--stale-statistics",
        action="store_true",
        help="With --fresh-import: first make the planner forget every table's statistics",
    )
    parser.add_argument(
        "--give-up-after",
        type=float,
        default=1800,
        help="With --fresh-import: record a figure as '> N s' after N seconds",
    )
    args = parser.parse_args(argv)
    os.environ["PORTAL_DATABASE_URL"] = PG_URL
    from portal_api.config import get_settings

    get_settings.cache_clear()
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    if not args.keep:
        path = Path(tempfile.gettempdir()) / f"{PG_DB}-{args.young_people}-{args.seed}.jsonl"
        started = time.perf_counter()
        synthetic.main(
            ["--young-people", str(args.young_people), "--seed", str(args.seed), "--out", str(path)]
        )
        print(f"generated {path} in {time.perf_counter() - started:.1f} s")
        asyncio.run(recreate_database())
        _portal("migrate")
        _portal("create-org", ORG, "Bench Borough Council")
        _, advisers = synthetic.advisers_for(args.young_people)
        print(f"created {len(advisers) + 1} accounts in {_create_accounts(advisers):.1f} s")
        seconds = _portal("import", str(path), "--org", ORG)
        rate = args.young_people / seconds
        print(f"imported {args.young_people} young people in {seconds:.1f} s ({rate:.0f}/s)")
        if args.fresh_import:
            _first_figures(args)
            return
        responses, records, messages, concerns = asyncio.run(_app_usage(args.seed))
        print(
            f"added {responses} local-offer responses, {records} entitlement records, "
            f"{messages} messages and {concerns} accommodation concerns"
        )
    if args.fresh_import:
        _first_figures(args)  # --keep: the last run's database, asked again
        return
    results = asyncio.run(_measure(args.runs))
    print(
        f"\noverview: median {results['overview_ms']:.0f} ms of {args.runs} "
        f"(first call {results['overview_first_ms']:.0f} ms; target < 200 ms)"
    )
    print(
        f"drill-down plan_current met=false, 50 rows of {results['drill_down_total']}: "
        f"median {results['drill_down_ms']:.0f} ms (first {results['drill_down_first_ms']:.0f} ms;"
        " target < 100 ms)"
    )
    print(
        f"OC3 {results['oc3_year']}, {results['oc3_rows']} rows: median "
        f"{results['oc3_ms']:.0f} ms (first {results['oc3_first_ms']:.0f} ms; target < 5000 ms)"
    )
    print(
        f"trends, {results['trends_points']} month-ends: first call {results['trends_ms']:.0f} ms,"
        f" cached median {results['trends_cached_ms']:.0f} ms (target < 1000 ms)"
    )
    print(
        f"overview with the cache emptied before each call (a miss, as after any write): median "
        f"{results['overview_miss_ms']:.0f} ms of {args.runs}"
    )
    print(
        f"overview after a PA records a contact (kept figures): median "
        f"{results['overview_after_write_ms']:.0f} ms of {args.runs} "
        f"({results['overview_after_write_all']}; target < 200 ms)"
    )
    print(
        f"drill-down in_touch met=false after that write, 50 rows of "
        f"{results['drill_down_after_write_total']}: median "
        f"{results['drill_down_after_write_ms']:.0f} ms (target < 100 ms)"
    )
    print(
        f"trends after that write: median {results['trends_after_write_ms']:.0f} ms "
        f"(target < 1000 ms); peak memory of this process {results['rss_mb']:.0f} MB"
    )
    print(
        f"figures made ready in the background (reports/ready.py): first pass, nothing kept, "
        f"{results['ready_first_ms'] / 1000:.1f} s; a pass with nothing written "
        f"{results['ready_idle_ms']:.0f} ms; a pass after a PA's contact: median "
        f"{results['ready_after_write_ms']:.0f} ms of {args.runs}"
    )
    print(
        f"after that pass, the manager's first calls: trends median "
        f"{results['trends_ready_ms']:.0f} ms ({results['trends_ready_all']}; target < 1000 ms), "
        f"overview median {results['overview_ready_ms']:.0f} ms; peak memory "
        f"{results['rss_ready_mb']:.0f} MB"
    )
    print("\nqueries one overview ran (ms, start of SQL):")
    for ms, sql in results["overview_queries"]:
        print(f"  {ms:8.1f}  {' '.join(sql.split())}")
    print(f"\nheaviest ({results['heaviest_ms']} ms): EXPLAIN (ANALYZE, BUFFERS) highlights")
    for line in _highlights(results["explain"]):
        print(f"  {line}")
    print("\nfigures:")
    for name, figure in results["overview"].items():
        if isinstance(figure, dict):
            print(f"  {name}: {figure['numerator']} / {figure['denominator']}")
        else:
            print(f"  {name}: {len(figure)} advisers")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
