"""Hostile pathway plans through the real download route: markup and stylesheet tricks in every
field a person can type are printed as text and fetch nothing, and a plan too big to render fails
cleanly (503 problem+json) within the worker's memory limit, after which PDFs work again.

A loopback HTTP server records any request; a renderer fetching a URL from plan text would show
up there. The plans are written straight into the database, because what matters is what the
renderer does with whatever is stored, however it got there (import, an old version, a bug).
"""

from __future__ import annotations

import inspect
import io
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path

import httpx
import pypdf
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from portal_api.common.pdf import DEFAULT_MEMORY_LIMIT_MB, PdfRenderer
from portal_api.config import Settings
from portal_api.db.session import make_sessionmaker
from portal_api.main import create_app
from portal_api.models import (
    ActionOwner,
    ActionStatus,
    Organisation,
    PlanAction,
    PlanSection,
    PlanState,
    PlanVersion,
    User,
    YoungPerson,
)
from portal_api.plans.schemas import SECTIONS, SUITABILITY
from tests.factories import World
from tests.support import recording_server

API = "/api/v1"
# Well under what a plan of 5,000 actions needs (about 1.2 GB), so it hits the limit long before
# the time limit; well over what a worker needs to start (about 360 MB mapped when warm) and to
# render an ordinary plan (under 100 MB more).
MEMORY_LIMIT_MB = 600
# Long, so that a failure in these tests is the memory limit (or a clean answer), not a time-out.
TIME_LIMIT_SECONDS = 120.0


@pytest.fixture
def loopback() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records every request it gets (tests.support)."""
    with recording_server() as server:
        yield server


@pytest.fixture(scope="module")
def renderer() -> Iterator[PdfRenderer]:
    pdf_renderer = PdfRenderer(1, time_limit=TIME_LIMIT_SECONDS, memory_limit_mb=MEMORY_LIMIT_MB)
    yield pdf_renderer
    pdf_renderer.shutdown()


@pytest.fixture(scope="module")
async def pdf_app(settings: Settings, engine: AsyncEngine, renderer: PdfRenderer) -> FastAPI:
    app = create_app(settings)
    await app.state.engine.dispose()
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.pdf_renderer = renderer
    return app


@pytest.fixture
async def pdf_client(pdf_app: FastAPI, engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    # A bare 500 must show up as a response here, not as an exception in the test.
    transport = httpx.ASGITransport(app=pdf_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
        yield client


def html_payloads(server: str) -> list[str]:
    return [
        '<img src="file:///etc/passwd">',
        f'<img src="{server}/img.png">',
        f'<link rel="stylesheet" href="{server}/link.css">',
        f'<iframe src="{server}/frame"></iframe><object data="{server}/object"></object>',
        f'<svg><image href="{server}/svg.png"/></svg>',
        '<script>document.title = "x"</script>',
    ]


def css_payloads(server: str) -> list[str]:
    return [
        f'</p><style>@import url("{server}/import.css"); p {{ background: url({server}/bg.png) }}</style>',
        f'}} body {{ background: url("{server}/css-bg.png") }} '
        f"@font-face {{ font-family: x; src: url({server}/font.woff) }}",
        f'<p style="background-image: url({server}/inline.png)">',
        f'*{{}} @import "{server}/bare-import.css";',
    ]


async def _agreed_version(
    session: AsyncSession,
    person_id: uuid.UUID,
    *,
    text: str,
    actions: list[tuple[str, str]],
) -> int:
    """A new agreed version of the young person's plan with ``text`` in every section field and
    in every suitability note, and ``actions`` as (description, need) pairs; its number."""
    person = await session.get(YoungPerson, person_id)
    assert person is not None
    latest = await session.scalar(
        select(func.max(PlanVersion.number)).where(PlanVersion.young_person_id == person.id)
    )
    number = (latest or 0) + 1
    codes = list(SECTIONS)
    version = PlanVersion(
        org_id=person.org_id,
        young_person_id=person.id,
        number=number,
        state=PlanState.agreed,
        agreed_on=date(2026, 6, 1),
        sections=[
            PlanSection(
                code=code,
                position=i,
                needs=text,
                young_person_views=text,
                goals=text,
                suitability={k: {"suitable": False, "note": text} for k in SUITABILITY}
                if code == "accommodation"
                else None,
            )
            for i, code in enumerate(codes)
        ],
        actions=[
            PlanAction(
                position=i,
                section_code=codes[i % len(codes)],
                description=description,
                need=need,
                owner=ActionOwner.other,
                owner_name=need[:200],
                due_on=date(2027, 1, 1),
                status=ActionStatus.not_started,
            )
            for i, (description, need) in enumerate(actions)
        ],
    )
    session.add(version)
    await session.flush()
    return number


def _pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _pdf_path(world: World, number: int) -> str:
    return f"{API}/young-people/{world.young_people['own']}/plan/versions/{number}/pdf"


async def test_markup_in_plan_text_prints_as_text_and_fetches_nothing(
    pdf_client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    loopback: tuple[str, list[str]],
) -> None:
    server, seen = loopback
    payloads = html_payloads(server)
    text = " ".join(payloads)
    # Names and the council's details are typed by people too; the PDF prints them all.
    own = world.young_people["own"]
    await session.execute(
        update(YoungPerson)
        .where(YoungPerson.id == own)
        .values(given_name=f'<img src="{server}/name.png">'[:100])
    )
    await session.execute(
        update(User)
        .where(User.id == world.users["pa"])
        .values(display_name=f'Priya <img src="{server}/pa.png">')
    )
    await session.execute(
        update(Organisation)
        .where(Organisation.id == world.org_id)
        .values(name=f'Eastmarsh <link rel="stylesheet" href="{server}/org.css">')
    )
    number = await _agreed_version(session, own, text=text, actions=[(p, p) for p in payloads])
    await session.commit()

    response = await pdf_client.get(_pdf_path(world, number), headers=world.auth("pa"))

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    printed = _pdf_text(response.content)
    # Escaped by the template, so printed literally rather than obeyed.
    assert '<img src="file:///etc/passwd">' in printed
    assert "<script>" in printed
    assert "<svg><image href=" in printed
    assert "Priya <img src=" in printed
    assert "Eastmarsh <link rel=" in printed
    assert "root:x:0:0" not in printed
    assert seen == []


async def test_stylesheet_tricks_in_plan_text_and_settings_fetch_nothing(
    pdf_client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    loopback: tuple[str, list[str]],
) -> None:
    server, seen = loopback
    payloads = css_payloads(server)
    own = world.young_people["own"]
    # The two values that land in the stylesheet and an attribute, as long as their columns allow.
    await session.execute(
        update(Organisation).where(Organisation.id == world.org_id).values(brand_colour="red;}@i")
    )
    await session.execute(
        update(YoungPerson).where(YoungPerson.id == own).values(preferred_language='en" dir="x')
    )
    number = await _agreed_version(
        session, own, text=" ".join(payloads), actions=[(p, p) for p in payloads]
    )
    await session.commit()

    response = await pdf_client.get(_pdf_path(world, number), headers=world.auth("pa"))

    assert response.status_code == 200, response.text
    printed = _pdf_text(response.content)
    assert "@import url(" in printed
    assert "@font-face" in printed
    assert seen == []


async def test_a_plan_too_big_for_the_memory_limit_fails_cleanly_and_pdfs_work_again(
    pdf_client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    loopback: tuple[str, list[str]],
    renderer: PdfRenderer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server, seen = loopback
    # 5,000 actions and about 1 MB of text, with a URL in each for good measure.
    actions = [
        (f"Action {i}: phone the college about the course, see {server}/a/{i} " + "x" * 120, "")
        for i in range(5000)
    ]
    own = world.young_people["own"]
    number = await _agreed_version(session, own, text="Support", actions=actions)
    await session.commit()
    assert sum(len(d) for d, _ in actions) > 1_000_000

    started = time.monotonic()
    response = await pdf_client.get(_pdf_path(world, number), headers=world.auth("pa"))
    took = time.monotonic() - started

    assert response.status_code == 503, response.text[:500]
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 503
    assert response.json()["detail"]
    assert response.headers["retry-after"] == "60"
    # The memory limit stopped it, well before the time limit would have.
    assert took < TIME_LIMIT_SECONDS
    failures = [r.getMessage() for r in caplog.records if r.name == "portal_api.common.pdf"]
    assert any("memory limit" in m or "worker died" in m for m in failures), failures
    assert not any("overran" in m for m in failures)
    assert seen == []

    # The worker that hit the limit was replaced; the plan the young person really has renders.
    again = await pdf_client.get(_pdf_path(world, 1), headers=world.auth("pa"))
    assert again.status_code == 200, again.text[:500]
    assert again.content.startswith(b"%PDF-")


def _address_space_limit(pid: int) -> str:
    """The soft RLIMIT_AS of a running process, in bytes, as Linux reports it."""
    limits = Path(f"/proc/{pid}/limits").read_text()
    (line,) = [row for row in limits.splitlines() if row.startswith("Max address space")]
    return line.split()[3]


def test_the_loopback_server_records_what_it_is_asked_for(
    loopback: tuple[str, list[str]],
) -> None:
    """So that ``seen == []`` above means nothing was asked for, not a deaf server."""
    server, seen = loopback
    assert httpx.get(f"{server}/probe.css").status_code == 200
    assert seen == ["/probe.css"]


async def test_every_pdf_worker_runs_under_the_memory_limit(renderer: PdfRenderer) -> None:
    await renderer.render("<html lang='en'><title>t</title><p>ready</p></html>")
    pids = renderer.worker_pids()
    assert pids
    for pid in pids:
        assert _address_space_limit(pid) == str(MEMORY_LIMIT_MB * 1024 * 1024)


def test_the_default_memory_limit_is_the_settings_default() -> None:
    assert Settings.model_fields["pdf_memory_limit_mb"].default == DEFAULT_MEMORY_LIMIT_MB
    renderer_default = inspect.signature(PdfRenderer).parameters["memory_limit_mb"].default
    assert renderer_default == DEFAULT_MEMORY_LIMIT_MB
