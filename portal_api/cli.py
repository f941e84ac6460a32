"""The ``portal`` command: serve, demo, migrate, import, openapi, create-org, create-user."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.config import Settings, get_settings
from portal_api.db.changes import raise_generation
from portal_api.db.reads_version import ALL, make_reads_version
from portal_api.db.session import make_engine, make_sessionmaker
from portal_api.models import Organisation, Role, TeamMembership, YoungPerson

app = typer.Typer(help="Care leaver portal.", no_args_is_help=True, add_completion=False)
console = Console(stderr=True)
T = TypeVar("T")
REPO_ROOT = Path(__file__).resolve().parent.parent


content_app = typer.Typer(help="The local offer pages under content/.", no_args_is_help=True)
app.add_typer(content_app, name="content")


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}")
    return typer.Exit(code=1)


async def _in_transaction(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            done = await work(session)
    finally:
        await engine.dispose()
    if settings.redis_url:
        # The servers' kept reads may show what this changed (kept_reads.py): made afresh.
        reads = make_reads_version(settings.redis_url)
        try:
            await reads.bump(frozenset({ALL}))
        finally:
            await reads.close()
    return done


def migrate_database(settings: Settings) -> None:
    from alembic import command

    from portal_api.db.migrations import alembic_config

    command.upgrade(alembic_config(settings.database_url), "head")


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (Alembic upgrade head)."""
    migrate_database(get_settings())
    console.print("[green]database is at the latest migration[/green]")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
    keep_alive: Annotated[
        int,
        typer.Option(
            help="Seconds an idle connection stays open: longer than the proxy's upstream idle "
            "time, so the proxy never writes a request onto a connection uvicorn is closing"
        ),
    ] = 75,
    worker_healthcheck: Annotated[
        int,
        typer.Option(
            help="Seconds a worker may take to answer the supervisor before it is restarted "
            "(uvicorn's 5 restarted starting workers on a busy small machine)"
        ),
    ] = 30,
) -> None:
    """Serve the API (and, once built, the app) with uvicorn."""
    import uvicorn

    uvicorn.run(
        "portal_api.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_level="info",
        timeout_keep_alive=keep_alive,
        timeout_worker_healthcheck=worker_healthcheck,
    )


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Seed, then stop")] = False,
    no_build: Annotated[
        bool, typer.Option("--no-build", help="Serve without building the app first")
    ] = False,
) -> None:
    """Create a SQLite demo database, seed the Eastmarsh demo council, build the app if it is
    missing or out of date (npm), and serve both."""
    from portal_api import demo as demo_data

    os.environ.setdefault("PORTAL_ENVIRONMENT", "demo")
    # The demo delivers its (recorded) notifications itself; a council runs `portal worker`.
    os.environ.setdefault("PORTAL_WORKER_IN_PROCESS", "true")
    os.environ.setdefault("PORTAL_DATABASE_URL", "sqlite+aiosqlite:///./portal-demo.sqlite3")
    get_settings.cache_clear()
    settings = get_settings()
    console.print(f"database: {settings.database_url}")
    with console.status("migrating"):
        migrate_database(settings)
    with console.status("seeding the Eastmarsh demo council"):
        asyncio.run(_in_transaction(settings, demo_data.seed))
    if no_serve:
        return
    if not no_build:
        _build_app(settings)
    console.print(
        f"[green]demo ready[/green]: the app at http://{host}:{port}/ (staff: /staff/), the API "
        f"at http://{host}:{port}/docs — sign in as {demo_data.STAFF[0].email} / "
        f"{demo_data.DEMO_PASSWORD} (see the README for every account)"
    )
    serve(host=host, port=port, workers=1)


def _build_app(settings: Settings) -> None:
    from portal_api import webbuild

    if settings.web_dir.resolve() != (webbuild.PWA_DIR / "dist").resolve():
        return  # PORTAL_WEB_DIR names a copy built elsewhere: not ours to rebuild
    webbuild.ensure_built(
        webbuild.PWA_DIR, settings.web_dir, lambda line: console.print(line, markup=False)
    )


@app.command("create-org")
def create_org(
    slug: Annotated[str, typer.Argument(help="Short name, e.g. eastmarsh")],
    name: Annotated[str, typer.Argument(help="Full name, e.g. 'Eastmarsh Borough Council'")],
) -> None:
    """Create an organisation (a council)."""
    from portal_api.people.schemas import SLUG

    if not SLUG.match(slug):
        raise _fail("the slug is lowercase letters, digits and hyphens, 2 to 63 characters")

    async def work(session: AsyncSession) -> None:
        if await session.scalar(select(Organisation.id).where(Organisation.slug == slug)):
            raise _fail(f"an organisation {slug!r} already exists")
        session.add(Organisation(slug=slug, name=name))

    asyncio.run(_in_transaction(get_settings(), work))
    console.print(f"[green]created organisation {slug}[/green]")


@app.command("create-user")
def create_user(
    org: Annotated[str, typer.Option(help="Organisation slug")],
    role: Annotated[Role, typer.Option(help="Role")],
    password: Annotated[
        str, typer.Option(help="At least 8 characters", prompt=True, hide_input=True)
    ],
    email: Annotated[
        str | None, typer.Option(help="Sign-in email (checked as `portal import` checks it)")
    ] = None,
    mobile: Annotated[
        str | None,
        typer.Option(help="Sign-in UK mobile number, for a young person without an email"),
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="Display name (defaults to the email or mobile)")
    ] = None,
    team: Annotated[str | None, typer.Option(help="Team name (created if new)")] = None,
    young_person: Annotated[
        str | None, typer.Option("--young-person", help="External id, for a young person's account")
    ] = None,
    council_wide: Annotated[
        bool,
        typer.Option(
            "--council-wide",
            help="A manager who sees every young person in the organisation, whatever their teams",
        ),
    ] = False,
) -> None:
    """Create an account: staff, or a young person's (linked by their external id)."""
    from portal_api.auth import service as auth_service
    from portal_api.errors import PortalError
    from portal_api.people.staff import find_or_create_team

    if (role is Role.young_person) != (young_person is not None):
        raise _fail("--young-person goes with --role young_person, and only with it")
    if council_wide and role is not Role.manager:
        raise _fail("--council-wide is only for --role manager")

    async def work(session: AsyncSession) -> str:
        organisation = await session.scalar(select(Organisation).where(Organisation.slug == org))
        if organisation is None:
            raise _fail(f"no organisation {org!r}; create it with `portal create-org`")
        person_id = None
        if young_person is not None:
            person = await session.scalar(
                select(YoungPerson).where(
                    YoungPerson.org_id == organisation.id, YoungPerson.external_id == young_person
                )
            )
            if person is None:
                raise _fail(f"no young person with external id {young_person!r} in {org}")
            person_id = person.id
        try:
            user = await auth_service.create_user(
                session,
                org_id=organisation.id,
                email=email,
                mobile=mobile,
                password=password,
                display_name=name or email or mobile or "",
                role=role,
                young_person_id=person_id,
            )
        except PortalError as exc:
            raise _fail(exc.detail) from None
        user.council_wide = council_wide
        if team:
            found = await find_or_create_team(session, organisation.id, team)
            session.add(TeamMembership(user_id=user.id, team_id=found.id))
        # Made by another process than the server: the figures' key must still change.
        await raise_generation(session, organisation.id)
        return user.email or user.mobile or ""

    signs_in_as = asyncio.run(_in_transaction(get_settings(), work))
    console.print(f"[green]created {role.value} {signs_in_as}[/green]")


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="JSON Lines file")],
    org: Annotated[str, typer.Option(help="Organisation slug")],
) -> None:
    """Import young people (JSON Lines, upsert by external_id). Whole file or nothing."""
    from portal_api.records.import_lines import ImportFailed, parse_lines
    from portal_api.records.importer import ImportResult, import_records, refresh_statistics

    lines = file.read_text(encoding="utf-8").splitlines()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        checking = progress.add_task("checking", total=len(lines))
        try:
            records = parse_lines(lines, lambda n: progress.advance(checking, n))
        except ImportFailed as exc:
            raise _fail(
                f"{file}:{exc.line}: {exc.field}: {exc.message}\nnothing was imported"
            ) from None
        writing = progress.add_task("importing", total=len(records))

        async def work(session: AsyncSession) -> object:
            organisation = await session.scalar(
                select(Organisation).where(Organisation.slug == org)
            )
            if organisation is None:
                raise _fail(f"no organisation {org!r}; create it with `portal create-org`")
            return await import_records(
                session,
                organisation,
                records,
                progress=lambda n: progress.advance(writing, n),
                source=file.name,
            )

        try:
            result = asyncio.run(_in_transaction(get_settings(), work))
        except ImportFailed as exc:
            raise _fail(
                f"{file}:{exc.line}: {exc.field}: {exc.message}\nnothing was imported"
            ) from None
    assert isinstance(result, ImportResult)
    tables = result.tables

    async def analyse(session: AsyncSession) -> None:
        await refresh_statistics(session, tables)

    # After the commit, so the statistics describe what is now there for everyone.
    asyncio.run(_in_transaction(get_settings(), analyse))
    console.print(f"[green]imported[/green] {result}")


@app.command()
def openapi(
    output: Annotated[Path, typer.Option(help="Where to write the spec")] = REPO_ROOT
    / "openapi"
    / "openapi.json",
) -> None:
    """Write the OpenAPI spec (the contract the app and integrations are built on)."""
    from portal_api.main import create_app

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render_openapi(create_app()), encoding="utf-8")
    console.print(f"wrote {output}")


def render_openapi(application: object) -> str:
    spec = application.openapi()  # type: ignore[attr-defined,unused-ignore]
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@content_app.command("check")
def content_check(
    path: Annotated[
        Path | None, typer.Argument(help="Content folder (default: the configured one)")
    ] = None,
) -> None:
    """Check every local-offer page: front matter, conditions, links, translations."""
    from portal_api.content.loading import check_content, pages_by_owner

    root = path or get_settings().content_dir
    library, problems = check_content(root)
    for problem in problems:
        console.print(f"[red]{problem}[/red]", highlight=False, soft_wrap=True)
    if problems:
        raise _fail(f"{len(problems)} problem(s) in {root}")
    counts = ", ".join(f"{where}: {n}" for where, n in sorted(pages_by_owner(library).items()))
    console.print(f"[green]content is valid[/green] ({counts})")


@app.command()
def worker() -> None:
    """Deliver queued notifications (SMS, email, push) with retries, until stopped."""
    from portal_api.notifications.outbox import run_worker
    from portal_api.notifications.wiring import make_notifier

    settings = get_settings()

    async def work() -> None:
        engine = make_engine(settings.database_url)
        try:
            await run_worker(make_sessionmaker(engine), make_notifier(settings), asyncio.Event())
        finally:
            await engine.dispose()

    console.print(f"delivering notifications ({settings.notifier}); Ctrl-C to stop")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(work())


@app.command("vapid-keys")
def vapid_keys() -> None:
    """Make a Web Push (VAPID) key pair: the private key for PORTAL_VAPID_PRIVATE_KEY, the public
    key for the app."""
    import base64

    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid

    vapid = Vapid()
    vapid.generate_keys()
    private = vapid.private_pem().decode().strip()
    public = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    print(f"PORTAL_VAPID_PRIVATE_KEY='{private}'")
    print(
        f"public key (applicationServerKey): {base64.urlsafe_b64encode(public).rstrip(b'=').decode()}"
    )
