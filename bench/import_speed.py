"""``portal import`` on PostgreSQL, timed: this checkout against another in the same run.

    uv run python -m bench.import_speed --young-people 5000 [--seed 1] [--old DIR] [--runs 1]

Writes the synthetic council (bench/synthetic.py, once per size and seed, kept in the temporary
directory) and a template database with the organisation, its teams, its PAs (one argon2 hash
shared by every account: hashing 2,000 passwords would take longer than the import) and a
council-wide manager. Each run copies the template (``CREATE DATABASE … TEMPLATE``) and times
``portal import`` in its own process, start to finish (checking, writing, ANALYZE). ``--old``
names a tree of the code to compare with (e.g. ``git archive main | tar -x -C /tmp/old``); it runs
with this checkout's packages, its own ``portal_api`` first on the path.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg  # type: ignore[import-untyped,unused-ignore]

from bench import synthetic

ADMIN_DSN = "postgresql://postgres@127.0.0.1/postgres"
PREFIX = os.environ.get("BENCH_IMPORT_DB", "portal_import_speed")
ORG = "bench"
REPO = Path(__file__).resolve().parent.parent
COUNTED = (
    "young_person",
    "allocation",
    "status_observation",
    "contact",
    "plan_version",
    "plan_receipt",
    "document_item",
    "document_event",
    "care_period",
    "audit_event",
)


def _dsn(db: str) -> str:
    return f"postgresql://postgres@127.0.0.1/{db}"


def _portal(db: str, *args: str, code: Path = REPO) -> float:
    """A ``portal`` command in its own process against ``db``; seconds taken."""
    env = {**os.environ, "PORTAL_DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1/{db}"}
    env["PYTHONPATH"] = str(code)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from portal_api.cli import app; app()", *args],
        check=True,
        cwd=code,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


async def _admin(*statements: str) -> None:
    admin = await asyncpg.connect(ADMIN_DSN)
    try:
        for statement in statements:
            await admin.execute(statement)
    finally:
        await admin.close()


async def _accounts(db: str, count: int) -> None:
    """Teams, PAs in them and a council-wide manager, straight into the tables."""
    teams, advisers = synthetic.advisers_for(count)
    conn = await asyncpg.connect(_dsn(db))
    try:
        org_id = await conn.fetchval("SELECT id FROM organisation WHERE slug = $1", ORG)
        manager = await conn.fetchrow(
            'SELECT * FROM "user" WHERE email = $1', "manager@bench.example"
        )
        team_ids = {name: uuid.uuid4() for name in teams}
        await conn.executemany(
            "INSERT INTO team (id, org_id, name) VALUES ($1, $2, $3)",
            [(i, org_id, name) for name, i in team_ids.items()],
        )
        now = datetime.now(UTC)
        users = [(uuid.uuid4(), email, team) for email, team in advisers]
        await conn.executemany(
            'INSERT INTO "user" (id, org_id, email, hashed_password, display_name, role, '
            "is_active, is_superuser, is_verified, council_wide, created_at) "
            "VALUES ($1, $2, $3, $4, $5, 'personal_adviser', true, false, true, false, $6)",
            [(i, org_id, e, manager["hashed_password"], e.upper(), now) for i, e, _ in users],
        )
        await conn.executemany(
            "INSERT INTO team_membership (user_id, team_id) VALUES ($1, $2)",
            [(i, team_ids[t]) for i, _, t in users],
        )
    finally:
        await conn.close()


async def _counts(db: str) -> dict[str, int]:
    conn = await asyncpg.connect(_dsn(db))
    try:
        # Our own table names, not input.
        query = "SELECT count(*) FROM {}"
        return {t: await conn.fetchval(query.format(t)) for t in COUNTED}
    finally:
        await conn.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="portal import, timed on PostgreSQL")
    parser.add_argument("--young-people", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--old", type=Path, help="a tree of the code to compare with")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--new-only", action="store_true")
    args = parser.parse_args(argv)
    n = args.young_people
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, load {os.getloadavg()}")
    path = Path(tempfile.gettempdir()) / f"{PREFIX}-{n}-{args.seed}.jsonl"
    if not path.exists():
        started = time.perf_counter()
        synthetic.main(["--young-people", str(n), "--seed", str(args.seed), "--out", str(path)])
        print(f"generated {path} in {time.perf_counter() - started:.1f} s")
    template, run = f"{PREFIX}_tpl_{n}", f"{PREFIX}_run_{n}"
    asyncio.run(
        _admin(
            f'DROP DATABASE IF EXISTS "{run}" WITH (FORCE)',
            f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)',
            f'CREATE DATABASE "{template}"',
        )
    )
    _portal(template, "migrate")
    _portal(template, "create-org", ORG, "Bench Borough Council")
    _portal(
        template,
        "create-user",
        "--org",
        ORG,
        "--role",
        "manager",
        "--council-wide",
        "--email",
        "manager@bench.example",
        "--password",
        "bench password 1",
        "--name",
        "M",
    )
    asyncio.run(_accounts(template, n))
    variants = (
        [("new", REPO)] if args.old is None or args.new_only else [("old", args.old), ("new", REPO)]
    )
    for attempt in range(args.runs):
        for name, code in variants:
            asyncio.run(
                _admin(
                    f'DROP DATABASE IF EXISTS "{run}" WITH (FORCE)',
                    f'CREATE DATABASE "{run}" TEMPLATE "{template}"',
                )
            )
            load = os.getloadavg()[0]
            seconds = _portal(run, "import", str(path), "--org", ORG, code=code)
            counts = asyncio.run(_counts(run))
            print(
                f"run {attempt + 1} {name}: {n} young people in {seconds:.1f} s "
                f"({n / seconds:.0f}/s), load before {load:.1f}; {counts}",
                flush=True,
            )
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{run}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
