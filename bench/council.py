"""A big council in the database the demo server then serves: the demo council (Morgan, the
council-wide manager, and the demo's staff) plus ``young_people`` synthetic young people
(bench/synthetic.py) loaded through ``portal import`` as bench/reports.py loads them, with an
account for every PA the file names. Used by bench/console.py (``--young-people``).

SQLite by default (a file that survives the run, so ``--keep`` can serve it again); PostgreSQL, as a
council runs, with ``--postgres`` (a database of its own, dropped and created afresh) or any
``--database-url``. Every step prints what it is doing and how long it took: loading 5,000 takes
minutes on a shared machine and a silent terminal looks hung.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import synthetic
from bench.reports import recreate_database
from portal_api.common.time import today

PG_DB = os.environ.get("BENCH_CONSOLE_DB", "portal_console_bench")
PG_URL = f"postgresql+asyncpg://postgres@127.0.0.1/{PG_DB}"
ORG = "eastmarsh"  # the demo council: its manager Morgan is council-wide
PA_PASSWORD = "bench password 1"  # a throwaway database on this machine only


def sqlite_url(young_people: int) -> str:
    path = Path(tempfile.gettempdir()) / f"bench-console-{young_people}.sqlite3"
    return f"sqlite+aiosqlite:///{path}"


def _step(message: str) -> Callable[[], None]:
    print(f"  {message} …", flush=True)
    started = time.perf_counter()
    return lambda: print(f"  {message}: done in {time.perf_counter() - started:.1f} s", flush=True)


def _portal(env: dict[str, str], *args: str, quiet: bool = True) -> None:
    """A ``portal`` command in its own process, against ``env``'s database."""
    subprocess.run(
        [sys.executable, "-c", "from portal_api.cli import app; app()", *args],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def _fresh(url: str) -> None:
    """An empty database at ``url``: ours only (the SQLite file or PG_DB), never someone else's."""
    if url == PG_URL:
        asyncio.run(recreate_database(PG_DB))
    elif url.startswith("sqlite"):
        Path(url.split(":///", 1)[1]).unlink(missing_ok=True)


def _accounts(env: dict[str, str], advisers: list[tuple[str, str]]) -> None:
    """``portal create-user`` for every PA in the file, in this process (a process per account
    would spend minutes starting Python): the same command, the same code path."""
    from typer.testing import CliRunner

    from portal_api import cli
    from portal_api.config import get_settings

    saved = os.environ.get("PORTAL_DATABASE_URL")
    os.environ["PORTAL_DATABASE_URL"] = env["PORTAL_DATABASE_URL"]
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        for n, (email, team) in enumerate(advisers, start=1):
            args = ["create-user", "--org", ORG, "--role", "personal_adviser", "--email", email]
            args += ["--password", PA_PASSWORD, "--name", email.split("@")[0].upper()]
            result = runner.invoke(cli.app, [*args, "--team", team])
            if result.exit_code != 0:
                raise SystemExit(f"create-user {email} failed: {result.output}")
            if n % 50 == 0 or n == len(advisers):
                print(f"    {n} of {len(advisers)} PA accounts", flush=True)
    finally:
        if saved is None:
            os.environ.pop("PORTAL_DATABASE_URL", None)
        else:
            os.environ["PORTAL_DATABASE_URL"] = saved
        get_settings.cache_clear()


def load(env: dict[str, str], young_people: int, seed: int = 1) -> None:
    """Demo council, PA accounts, then ``portal import`` of ``young_people`` synthetic records."""
    url = env["PORTAL_DATABASE_URL"]
    print(f"Loading a council of {young_people} young people into {url}", flush=True)
    _fresh(url)
    done = _step("migrating and seeding the demo council (portal demo --no-serve)")
    _portal(env, "demo", "--no-serve", "--no-build")
    done()
    # A file per run: two runs at once (SQLite and PostgreSQL) must not write each other's.
    file = Path(tempfile.mkdtemp(prefix="bench-console-")) / f"council-{young_people}-{seed}.jsonl"
    done = _step(f"writing {young_people} synthetic young people to {file}")
    with file.open("w", encoding="utf-8") as out:
        for n, record in enumerate(synthetic.generate(young_people, seed=seed, on=today()), 1):
            out.write(json.dumps(record) + "\n")
            if n % 1000 == 0:
                print(f"    {n} of {young_people}", flush=True)
    done()
    _, advisers = synthetic.advisers_for(young_people)
    done = _step(f"creating {len(advisers)} PA accounts (portal create-user)")
    _accounts(env, advisers)
    done()
    done = _step(f"importing (portal import {file.name} --org {ORG}; its own progress below)")
    _portal(env, "import", str(file), "--org", ORG, quiet=False)
    done()
