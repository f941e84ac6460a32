"""Backup and restore drill on PostgreSQL: dump, lose, restore, check, sign in.

    uv run python -m bench.restore_drill [--young-people 1000] [--keep]

1. Makes ``portal_drill_src``: the Eastmarsh demo council (``portal demo --no-serve``: plans with
   sections, messages, audit events, outbox rows) plus a synthetic council of ``--young-people``
   loaded through ``portal import`` (bench/synthetic.py, as bench/reports.py loads one).
2. Records, for every table, its row count and an md5 of all its rows (so "the same" means the
   same content, not just as many rows).
3. ``pg_dump -Fc``; drops the source database (the loss); ``createdb`` + ``pg_restore`` into
   ``portal_drill_restored``.
4. ``alembic current`` against the copy (must be ``alembic heads``); compares every table's count
   and md5; checks the audit trail's append-only trigger came back and still refuses a DELETE.
5. Serves the copy (``portal serve``) and signs in through the API as a young person and a
   manager, reading the young person's home screen and messages and the manager's caseload.

Before the dump, the source is served too and used a little through the API (messages both
ways, a plan PDF, staff reads), so messages, audit events, outbox rows and PDFs are in it.

Every command is printed as an operator would type it, with its output and how long it took.
Only databases named ``portal_drill_*`` are touched; they are dropped at the end unless
``--keep``. See docs/operations.md ("Restore drill").
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg  # type: ignore[import-untyped,unused-ignore]
import httpx

from bench import reports, synthetic
from bench.api import free_port, login, start_server, stop_server, wait_ready

REPO = Path(__file__).resolve().parent.parent
PG = ("-h", "127.0.0.1", "-p", "5432", "-U", "postgres")
SOURCE, RESTORED = "portal_drill_src", "portal_drill_restored"
# The demo's young person and her personal adviser (password: the demo's).
YOUNG_PERSON, ADVISER = "amira@eastmarsh.example", "priya.pa@eastmarsh.example"
OTHER_YOUNG_PERSON = "jordan@eastmarsh.example"


def url(db: str, driver: str = "postgresql+asyncpg") -> str:
    return f"{driver}://postgres@127.0.0.1:5432/{db}"


def run(command: list[str], env: dict[str, str] | None = None, *, show: int = 12) -> str:
    """Run a command as an operator would, printing it, the tail of its output and its time."""
    shown = " ".join(shlex.quote(part) for part in command)
    prefix = " ".join(f"{k}={v}" for k, v in (env or {}).items() if k == "PORTAL_DATABASE_URL")
    print(f"\n$ {prefix + ' ' if prefix else ''}{shown}", flush=True)
    started = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=REPO,
        env=os.environ | (env or {}),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    output = (done.stdout + done.stderr).strip()
    lines = [ln for ln in output.splitlines() if "━" not in ln]  # no progress bars
    for line in lines[-show:] if show else []:
        print(f"  {line}")
    print(f"  ({seconds:.1f} s, exit {done.returncode})", flush=True)
    if done.returncode != 0:
        raise SystemExit(f"failed: {shown}")
    return output


async def fingerprint(db: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and the md5 of its rows (as text, sorted)."""
    conn = await asyncpg.connect(url(db, "postgresql"))
    try:
        tables = [
            r["tablename"]
            for r in await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        found = {}
        for table in tables:  # names from pg_tables, quoted
            query = f"SELECT count(*) AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS md5 FROM \"{table}\" t"  # noqa: S608
            row = await conn.fetchrow(query)
            found[table] = (int(row["n"]), str(row["md5"]))
        return found
    finally:
        await conn.close()


async def audit_guard(db: str) -> str:
    """The append-only trigger exists on the copy and refuses to delete an audit event."""
    conn = await asyncpg.connect(url(db, "postgresql"))
    try:
        triggers = await conn.fetchval(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_event_append_only'"
        )
        try:
            async with conn.transaction():
                await conn.execute(
                    "DELETE FROM audit_event WHERE id = (SELECT id FROM audit_event LIMIT 1)"
                )
            refused = "NOT refused"
        except asyncpg.PostgresError as exc:
            refused = f"refused: {exc}"
        return f"trigger audit_event_append_only present: {triggers == 1}; DELETE {refused}"
    finally:
        await conn.close()


async def drop(*names: str) -> None:
    conn = await asyncpg.connect(url("postgres", "postgresql"))
    try:
        for name in names:
            assert name.startswith("portal_drill_")
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def seed(young_people: int, workdir: Path) -> None:
    env = {"PORTAL_DATABASE_URL": url(SOURCE), "PORTAL_ENVIRONMENT": "demo"}
    run(["createdb", *PG, SOURCE])
    run(["uv", "run", "portal", "demo", "--no-serve"], env, show=3)
    if young_people:
        path = workdir / "council.jsonl"
        synthetic.main(["--young-people", str(young_people), "--seed", "1", "--out", str(path)])
        os.environ.update(env)
        from portal_api.config import get_settings

        get_settings.cache_clear()
        run(["uv", "run", "portal", "create-org", reports.ORG, "Bench Borough Council"], env)
        _, advisers = synthetic.advisers_for(young_people)
        seconds = reports._create_accounts(advisers)
        print(
            f"\n(created {len(advisers) + 1} staff accounts with `portal create-user` in {seconds:.0f} s)"
        )
        run(["uv", "run", "portal", "import", str(path), "--org", reports.ORG], env, show=2)


@contextmanager
def serving(db: str, workdir: Path) -> Iterator[str]:
    """``portal serve`` on ``db`` until the block ends; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = workdir / f"server-{db}.log"
    print(f"\n$ PORTAL_DATABASE_URL={url(db)} uv run portal serve --port {port}")
    started = time.perf_counter()
    server = start_server(url(db), port, log)
    try:
        wait_ready(server, base, log)
        ready = httpx.get(f"{base}/readyz").json()
        print(f"  GET /readyz: {ready} ({time.perf_counter() - started:.1f} s to ready)")
        yield base
    finally:
        stop_server(server)


def use_the_app(base: str) -> None:
    """A little of everything through the API, so that messages, read marks, audit events,
    outbox rows and a cached plan PDF are in the backup too."""
    young = {"Authorization": f"Bearer {login(base, YOUNG_PERSON)}"}
    staff = {"Authorization": f"Bearer {login(base, ADVISER)}"}
    me = "/api/v1/young-people/me"
    for n, words in enumerate(("Are we still meeting on Tuesday?", "I got my NI letter")):
        headers = young | {"Idempotency-Key": f"drill-message-{n}"}
        sent = httpx.post(f"{base}{me}/messages", json={"body": words}, headers=headers)
        assert sent.status_code == 201, sent.text
    pdf_note = "no demo young person has an agreed plan, so no PDF"
    for email in (YOUNG_PERSON, OTHER_YOUNG_PERSON):  # whoever has an agreed plan downloads it
        auth = young if email == YOUNG_PERSON else {"Authorization": f"Bearer {login(base, email)}"}
        plan = httpx.get(f"{base}{me}/plan", headers=auth).json()
        if plan.get("current"):
            number = plan["current"]["number"]
            pdf = httpx.get(f"{base}{me}/plan/versions/{number}/pdf", headers=auth, timeout=60)
            assert pdf.status_code == 200, pdf.text
            pdf_note = (
                f"{email} downloaded plan version {number} ({len(pdf.content) // 1024} KiB PDF)"
            )
            break
    person = httpx.get(f"{base}/api/v1/users/me", headers=young).json()["young_person_id"]
    httpx.get(f"{base}/api/v1/young-people/{person}", headers=staff).raise_for_status()
    path = f"{base}/api/v1/young-people/{person}/messages"
    httpx.get(path, headers=staff).raise_for_status()
    reply = {"body": "Yes, 2pm at the office"}
    headers = staff | {"Idempotency-Key": "drill-reply-0"}
    httpx.post(path, json=reply, headers=headers).raise_for_status()
    print(f"  {YOUNG_PERSON} sent 2 messages; {ADVISER} read her record and replied; {pdf_note}")


def check_api(base: str) -> None:
    """Sign in against the restored copy and read what was there before."""
    auth = {"Authorization": f"Bearer {login(base, YOUNG_PERSON)}"}
    summary = httpx.get(f"{base}/api/v1/young-people/me/summary", headers=auth)
    messages = httpx.get(f"{base}/api/v1/young-people/me/messages", headers=auth).json()
    print(
        f"  signed in as {YOUNG_PERSON}: summary {summary.status_code}, "
        f"{len(messages['items'])} messages: {[m['body'] for m in messages['items']]}"
    )
    form = {"username": reports.MANAGER, "password": reports.PASSWORD}
    response = httpx.post(f"{base}/api/v1/auth/login", data=form)
    if response.status_code == 200:
        auth = {"Authorization": f"Bearer {response.json()['access_token']}"}
        page = httpx.get(f"{base}/api/v1/young-people?limit=5", headers=auth).json()
        print(f"  signed in as {reports.MANAGER}: {page['total']} young people in reach")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.restore_drill", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--young-people", type=int, default=1000, help="synthetic council (0: demo only)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the restored database")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="portal-drill-"))
    dump = workdir / "portal.dump"
    total = time.perf_counter()
    try:
        asyncio.run(drop(SOURCE, RESTORED))
        print("== 1. a database with data")
        seed(args.young_people, workdir)
        with serving(SOURCE, workdir) as base:
            use_the_app(base)
        before = asyncio.run(fingerprint(SOURCE))
        rows = sum(n for n, _ in before.values())
        print(f"\n{len(before)} tables, {rows} rows; key tables:")
        for table in (
            "organisation",
            "user",
            "access_token",
            "young_person",
            "plan_version",
            "plan_pdf",
            "message",
            "audit_event",
            "notification_outbox",
            "document_event",
            "contact",
        ):
            if table in before:
                print(f"  {table:<22} {before[table][0]:>8}")
        print("\n== 2. back up (custom format)")
        run(["pg_dump", *PG, "-Fc", "-f", str(dump), SOURCE])
        print(f"  dump: {dump.stat().st_size / 2**20:.1f} MiB")
        listing = run(["pg_restore", "--list", str(dump)], show=0)
        entries = [ln for ln in listing.splitlines() if ln and not ln.startswith(";")]
        print(
            f"  {len(entries)} entries: "
            + ", ".join(
                f"{sum(kind in ln for ln in entries)} {kind.strip().lower()}"
                for kind in (" TABLE DATA ", " INDEX ", " CONSTRAINT ", " TRIGGER ")
            )
        )
        print("\n== 3. lose the database")
        run(["dropdb", *PG, SOURCE])
        print("\n== 4. restore into a new database")
        run(["createdb", *PG, RESTORED])
        run(
            [
                "pg_restore",
                *PG,
                "-d",
                RESTORED,
                "--no-owner",
                "--exit-on-error",
                "-j",
                "2",
                str(dump),
            ]
        )
        print("\n== 5. check")
        env = {"PORTAL_DATABASE_URL": url(RESTORED)}
        current = run(["uv", "run", "alembic", "current"], env)
        heads = run(["uv", "run", "alembic", "heads"], env)
        at_head = current.split()[-2:] == heads.split()[-2:] if current and heads else False
        print(f"  at head: {at_head} ({current.splitlines()[-1]} vs {heads.splitlines()[-1]})")
        after = asyncio.run(fingerprint(RESTORED))
        differ = [t for t in before if before[t] != after.get(t)] + [
            t for t in after if t not in before
        ]
        print(
            f"  {len(after)} tables, {sum(n for n, _ in after.values())} rows; "
            f"count and md5 equal for {len(before) - len(differ)} of {len(before)} tables"
            + (f"; DIFFERENT: {differ}" if differ else "")
        )
        print(f"  {asyncio.run(audit_guard(RESTORED))}")
        with serving(RESTORED, workdir) as base:
            check_api(base)
        print(
            f"\ndrill {'PASSED' if not differ and at_head else 'FAILED'} in {time.perf_counter() - total:.0f} s"
        )
        if differ or not at_head:
            sys.exit(1)
    finally:
        asyncio.run(drop(SOURCE) if args.keep else drop(SOURCE, RESTORED))
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
