"""The pathway plan PDF: what it shows, that it is tagged for screen readers, that plan text can
never make the renderer load a file or call a URL, and that a stuck render is killed."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import pytest

from portal_api.common.pdf import (
    TEMPLATES_DIR,
    AssetRefused,
    PackagedAssets,
    PdfFailed,
    PdfRenderer,
    PdfTimeout,
    packaged_asset_fetcher,
    render_html_to_pdf,
)
from portal_api.errors import PortalError
from portal_api.plans.pdf import plan_html, render_plan_pdf
from portal_api.plans.pdf_context import PdfAction, PdfSection, PdfSuitability, PlanPdfContext
from tests.support import recording_server

SECTIONS = (
    ("contact_and_support", "Contact and support"),
    ("education_and_training", "Education and training"),
    ("employment", "Employment"),
    ("contingency", "If the plan stops working"),
    ("accommodation", "Where you live"),
    ("relationships", "Family and friends"),
    ("practical_skills", "Skills for living on your own"),
    ("finance", "Money"),
    ("health", "Health and wellbeing"),
    ("identity", "Identity, culture and immigration"),
)
SUITABILITY = (
    "Facilities",
    "State of repair",
    "Safety",
    "Location",
    "Support",
    "Tenancy status",
    "Affordability",
    "Your views",
)
OWNERS = ("You", "Your personal adviser (Priya Shah)", "Eastmarsh College student services")
STATUSES = ("not_started", "in_progress", "done")


def realistic_context(language: str = "en", *, actions_per_section: int = 3) -> PlanPdfContext:
    """A plan of the size advisers write: ten sections, three actions each, a full suitability
    check. Shared with bench/pdf.py."""
    sections = []
    for s, (code, title) in enumerate(SECTIONS):
        actions = [
            PdfAction(
                description=(
                    f"Action {s * actions_per_section + a + 1} on {title.lower()}: book it and "
                    "tell your adviser how it went."
                ),
                owner=OWNERS[a % len(OWNERS)],
                # Now and then an action with no date, as the portal has to show.
                due_on=None
                if (s * actions_per_section + a) % 11 == 10
                else date(2027, 1 + (s + a) % 12, 1 + (s * 3 + a) % 28),
                need=f"{title}: settling in",
                status=STATUSES[(s + a) % len(STATUSES)],
                completed_on=date(2026, 11, 2)
                if STATUSES[(s + a) % len(STATUSES)] == "done"
                else None,
            )
            for a in range(actions_per_section)
        ]
        suitability = (
            [
                PdfSuitability(
                    consideration=name,
                    suitable=None if i == 6 else i != 3,
                    note=f"{name}: checked on the visit of 3 November 2026."
                    if i % 2 == 0
                    else None,
                )
                for i, name in enumerate(SUITABILITY)
            ]
            if code == "accommodation"
            else []
        )
        sections.append(
            PdfSection(
                code=code,
                title=title,
                needs=(
                    f"Steady support with {title.lower()}, and someone to call when things go "
                    "wrong.\nAmira wants to be asked before anything changes."
                ),
                young_person_views=(
                    "I want to do this myself but I need help with the forms. "
                    "Please text me before you visit."
                ),
                goals=f"By the next review, {title.lower()} is settled and Amira knows who to ask.",
                actions=actions,
                suitability=suitability,
            )
        )
    return PlanPdfContext(
        organisation_name="Eastmarsh Council",
        brand_colour="#00703c",
        young_person_name="Amira Khan",
        date_of_birth=date(2007, 3, 1),
        version_number=3,
        agreed_on=date(2026, 5, 1),
        next_review_due_on=date(2026, 11, 1),
        personal_adviser_name="Priya Shah",
        personal_adviser_phone="07700 900123",
        personal_adviser_email="priya.shah@eastmarsh.example",
        office_phone="01632 960000",
        out_of_hours_phone="01632 960999",
        language=language,
        sections=sections,
    )


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def renderer() -> Iterator[PdfRenderer]:
    pdf_renderer = PdfRenderer(max_workers=2)
    yield pdf_renderer
    pdf_renderer.shutdown()


@pytest.fixture
def http_server() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records every request it gets (tests.support)."""
    with recording_server() as server:
        yield server


def hostile_text(server: str) -> str:
    return (
        '<img src="file:///etc/passwd"> '
        f'<link rel=stylesheet href="{server}/x.css"> '
        "<style>body { background: url(file:///etc/passwd) }</style> "
        f"url(file:///etc/passwd) {server}/"
    )


def test_pdf_errors_are_503_problems_with_a_clear_detail() -> None:
    assert issubclass(PdfTimeout, PortalError)
    assert issubclass(PdfFailed, PortalError)
    assert PdfTimeout.status == PdfFailed.status == 503
    assert PdfTimeout().detail == "The PDF took too long to make; try again in a minute."


async def test_plan_pdf_shows_the_person_every_section_and_the_actions(
    renderer: PdfRenderer,
) -> None:
    context = realistic_context()
    assert len(context.sections) == 10
    assert sum(len(s.actions) for s in context.sections) == 30

    pdf = await render_plan_pdf(renderer, context)

    text = pdf_text(pdf)
    assert "Amira Khan" in text
    assert "1 March 2007" in text
    for _, title in SECTIONS:
        assert title in text
    assert "Action 1 on contact and support" in " ".join(text.split())
    assert "Who to contact" in text
    assert "In your words" in text
    assert "in an emergency outside office hours" in text.lower()
    assert "01632 960999" in text
    assert "Is where you live suitable?" in text
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    assert f"Page 1 of {len(reader.pages)}" in text
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text


async def test_plan_pdf_is_tagged_with_language_and_title(renderer: PdfRenderer) -> None:
    pdf = await render_plan_pdf(renderer, realistic_context())

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    catalog: Any = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"
    assert reader.metadata is not None
    assert reader.metadata.title == "Pathway plan for Amira Khan, version 3"
    # PDF/UA-1: identified in the XMP metadata, and viewers show the title, not the file name.
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in xmp
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    # Headings become bookmarks, one per section.
    assert len(reader.outline) >= 1


def test_plan_html_is_left_to_right_for_english_and_right_to_left_for_arabic() -> None:
    assert '<html lang="en" dir="ltr">' in plan_html(realistic_context("en"))
    for language in ("ar", "ps", "fa", "ur"):
        assert f'<html lang="{language}" dir="rtl">' in plan_html(realistic_context(language))


async def test_arabic_plan_renders_right_to_left(renderer: PdfRenderer) -> None:
    context = replace(
        realistic_context("ar"),
        young_person_name="أميرة خان",
        sections=[
            replace(section, young_person_views="أريد أن أدرس التمريض في الكلية.")
            for section in realistic_context("ar").sections
        ],
    )
    html = plan_html(context)
    assert '<html lang="ar" dir="rtl">' in html

    pdf = await render_plan_pdf(renderer, context)

    catalog: Any = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert catalog["/Lang"] == "ar"
    assert "/StructTreeRoot" in catalog


def test_a_hostile_brand_colour_or_language_cannot_reach_the_stylesheet() -> None:
    context = replace(
        realistic_context(),
        brand_colour="red } body { background: url(http://127.0.0.1:9/x.png) } .x {",
        language='en" onload="x',
    )
    html = plan_html(context)
    assert "127.0.0.1:9" not in html
    assert '<html lang="en" dir="ltr">' in html


async def test_hostile_plan_text_prints_literally_and_fetches_nothing(
    renderer: PdfRenderer, http_server: tuple[str, list[str]]
) -> None:
    server, requests = http_server
    hostile = hostile_text(server)
    base = realistic_context()
    context = replace(
        base,
        young_person_name=f"Sam {hostile}",
        sections=[
            replace(
                section,
                needs=hostile,
                young_person_views=hostile,
                actions=[replace(a, description=hostile, need=hostile) for a in section.actions],
            )
            for section in base.sections
        ],
    )
    html = plan_html(context)
    assert '<img src="file:///etc/passwd">' not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html

    pdf = await render_plan_pdf(renderer, context)

    text = " ".join(pdf_text(pdf).split())
    assert '<img src="file:///etc/passwd">' in text
    assert "<link rel=stylesheet" in text
    assert "url(file:///etc/passwd)" in text
    assert f"{server}/" in text
    assert "root:x:0:0" not in text
    assert requests == []


@pytest.fixture
def fetcher_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every URL the in-process fetcher is asked for, and every file it opens."""
    calls: list[tuple[str, str]] = []
    load = PackagedAssets.load
    read = PackagedAssets.read

    def recording_load(self: PackagedAssets, url: str) -> tuple[str, bytes, str]:
        try:
            loaded = load(self, url)
        except AssetRefused:
            calls.append(("refused", url))
            raise
        calls.append(("served", url))
        return loaded

    def recording_read(self: PackagedAssets, path: Path) -> bytes:
        calls.append(("opened", str(path)))
        return read(self, path)

    monkeypatch.setattr(PackagedAssets, "load", recording_load)
    monkeypatch.setattr(PackagedAssets, "read", recording_read)
    return calls


def test_fetcher_refuses_everything_but_packaged_assets(
    http_server: tuple[str, list[str]], fetcher_calls: list[tuple[str, str]]
) -> None:
    """Markup that escaped the template (it cannot: this is defence in depth) still loads
    nothing from outside templates/."""
    server, requests = http_server
    html = (
        '<html lang="en"><head><title>t</title>'
        f'<link rel="stylesheet" href="{server}/x.css">'
        '<link rel="stylesheet" href="file:///etc/passwd">'
        '<link rel="stylesheet" href="plans/plan.css">'
        '<link rel="stylesheet" href="plans/../../pyproject.toml">'
        "<style>p { background: url(file:///etc/passwd) }"
        f' h1 {{ background: url("{server}/bg.png") }}</style></head>'
        f'<body><h1>Hi</h1><p>Text</p><img src="file:///etc/passwd"><img src="{server}/i.png">'
        '<img src="data:image/png;base64,iVBORw0KGgo="></body></html>'
    )

    pdf = render_html_to_pdf(html, TEMPLATES_DIR.as_uri() + "/")

    assert pdf.startswith(b"%PDF-")
    assert requests == []
    refused = {url for outcome, url in fetcher_calls if outcome == "refused"}
    assert f"{server}/x.css" in refused
    assert f"{server}/i.png" in refused
    assert "file:///etc/passwd" in refused
    assert any(url.startswith("data:") for url in refused)
    assert any(url.endswith("pyproject.toml") for url in refused)
    served = [url for outcome, url in fetcher_calls if outcome == "served"]
    assert served == [(TEMPLATES_DIR / "plans" / "plan.css").resolve().as_uri()]
    opened = [Path(path) for outcome, path in fetcher_calls if outcome == "opened"]
    assert opened
    assert all(path.is_relative_to(TEMPLATES_DIR.resolve()) for path in opened)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "file://evil.example/share/x.css",
        "http://127.0.0.1:9/x.css",
        "https://example.invalid/x.css",
        "data:text/css,body{}",
        "ftp://127.0.0.1/x.css",
        (TEMPLATES_DIR / "plans" / "plan.html").as_uri(),  # a template, not an asset
        (TEMPLATES_DIR / "plans" / ".." / ".." / "pyproject.toml").as_uri(),
        (TEMPLATES_DIR / "plans" / "missing.css").as_uri(),
    ],
)
def test_fetcher_refuses(url: str) -> None:
    with pytest.raises(AssetRefused):
        packaged_asset_fetcher().fetch(url)


def test_fetcher_serves_a_packaged_stylesheet() -> None:
    response = packaged_asset_fetcher().fetch((TEMPLATES_DIR / "plans" / "plan.css").as_uri())
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_fetcher_refuses_a_symlink_out_of_templates(tmp_path: Path) -> None:
    link = tmp_path / "templates" / "escape.css"
    link.parent.mkdir()
    link.symlink_to("/etc/passwd")
    with pytest.raises(AssetRefused):
        packaged_asset_fetcher(root=tmp_path / "templates").fetch(link.as_uri())


def test_importing_the_renderer_does_not_load_weasyprint() -> None:
    """The API process only sends HTML to the workers; WeasyPrint, Pango and fonts stay there."""
    code = "import sys, portal_api.plans.pdf; print('weasyprint' in sys.modules)"
    result = subprocess.run(  # noqa: S603  (a fixed command line)
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def _huge_html(rows: int) -> str:
    cells = "".join(
        f"<tr><td>{i}</td><td>{'slow text ' * 40}</td><td>{i * 7}</td></tr>" for i in range(rows)
    )
    return f'<html lang="en"><title>big</title><body><table>{cells}</table></body></html>'


async def test_a_render_that_overruns_is_killed_and_the_next_one_works() -> None:
    renderer = PdfRenderer(max_workers=1)
    try:
        # Let the worker start (its start-up has its own limit), then note which process it is.
        await renderer.render("<html lang='en'><title>w</title><p>warm</p></html>")
        (stuck_pid,) = renderer.worker_pids()

        with pytest.raises(PdfTimeout):
            await renderer.render(_huge_html(20_000), time_limit=1.0)

        assert not _process_alive(stuck_pid)
        pdf = await render_plan_pdf(renderer, realistic_context())
        assert "Amira Khan" in pdf_text(pdf)
        assert stuck_pid not in renderer.worker_pids()
    finally:
        renderer.shutdown()


async def test_a_tiny_time_limit_times_out_and_the_renderer_recovers() -> None:
    renderer = PdfRenderer(max_workers=1)
    try:
        with pytest.raises(PdfTimeout):
            await renderer.render(plan_html(realistic_context()), time_limit=0.001)
        pdf = await renderer.render(plan_html(realistic_context()))
        assert pdf.startswith(b"%PDF-")
    finally:
        renderer.shutdown()


async def test_a_render_caught_in_another_renders_timeout_is_retried() -> None:
    """Killing the pool kills every worker in it; a render that merely shared the pool with the
    stuck one is run again on the new workers instead of failing."""
    renderer = PdfRenderer(max_workers=2)
    loop = asyncio.get_running_loop()
    try:
        await asyncio.gather(*(renderer.render("<html lang='en'><p>w</p></html>") for _ in "ab"))
        plan = plan_html(realistic_context(actions_per_section=6))  # about 1.5 s to render
        stuck = asyncio.ensure_future(renderer.render(_huge_html(20_000), time_limit=3.0))
        await asyncio.sleep(2.2)
        started = loop.time()
        normal = asyncio.ensure_future(renderer.render(plan))

        with pytest.raises(PdfTimeout):
            await stuck
        killed = loop.time()
        pdf = await normal
        finished = loop.time()

        assert pdf.startswith(b"%PDF-")
        # The plan was still rendering when the pool was killed, so it must have run again.
        assert started < killed < finished
    finally:
        renderer.shutdown()


async def test_many_renders_at_once_all_finish(renderer: PdfRenderer) -> None:
    html = plan_html(realistic_context())
    pdfs = await asyncio.gather(*(renderer.render(html) for _ in range(6)))
    assert all(pdf.startswith(b"%PDF-") for pdf in pdfs)


async def test_a_shut_down_renderer_fails_clearly() -> None:
    renderer = PdfRenderer(max_workers=1)
    renderer.shutdown()
    with pytest.raises(PdfFailed):
        await renderer.render("<p>late</p>")


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child the executor has not reaped yet is a zombie: dead, just not collected.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False
