"""Oversight: the figures, the names behind them, trends, and the statutory exports."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from portal_api.auth.dependencies import CaseworkStaff, CurrentManager
from portal_api.common.pagination import Page, PageDep
from portal_api.content.dependencies import library_of
from portal_api.db.session import SessionDep
from portal_api.errors import problem_responses
from portal_api.reports import exports, measures
from portal_api.reports.cache import Cached
from portal_api.reports.exports import CSV_MEDIA_TYPE, Export
from portal_api.reports.schemas import MeasureName, MeasureRow, Overview, Trends

router = APIRouter(prefix="/reports", tags=["reports"])

AsOf = Annotated[
    date | None,
    Query(description="The date the figures are for (default today, Europe/London)"),
]
TeamId = Annotated[uuid.UUID | None, Query(description="Only young people this team held on as_of")]
AdviserId = Annotated[
    uuid.UUID | None,
    Query(description="Only young people this personal adviser held on as_of (a PA: their own)"),
]
SORTS = "urgency|name|date_of_birth|adviser|team"
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"}
}


async def _cached(request: Request) -> Cached | None:
    """The data version, read before any of the figure's data (reports/cache.py says why)."""
    state = request.app.state
    return await Cached.begin(
        getattr(state, "figures_cache", None), getattr(state, "figures_version", None)
    )


def _csv(export: Export) -> Response:
    return Response(
        export.content,
        media_type=CSV_MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{export.filename}"',
            "Cache-Control": "no-store",
            **export.headers,
        },
    )


@router.get("/overview", response_model=Overview, responses=problem_responses(401, 403, 404, 422))
async def get_overview(
    request: Request,
    session: SessionDep,
    actor: CaseworkStaff,
    as_of: AsOf = None,
    team: TeamId = None,
    adviser: AdviserId = None,
) -> Overview:
    """Every oversight measure that has data, as of a date, for the organisation, a team or a PA."""
    cached = await _cached(request)
    return await measures.overview(
        session,
        actor,
        library_of(request),
        as_of=as_of,
        team_id=team,
        adviser_id=adviser,
        cached=cached,
    )


@router.get("/trends", response_model=Trends, responses=problem_responses(401, 403, 404, 422))
async def get_trends(
    request: Request,
    session: SessionDep,
    actor: CaseworkStaff,
    team: TeamId = None,
    adviser: AdviserId = None,
) -> Trends:
    """The overview at each of the last 12 month-ends, in one call."""
    cached = await _cached(request)
    return await measures.trends(
        session, actor, library_of(request), team_id=team, adviser_id=adviser, cached=cached
    )


@router.get(
    "/exports/ssda903-oc3.csv",
    response_class=Response,
    responses={**CSV_RESPONSE, **problem_responses(401, 403, 422)},
)
async def export_ssda903_oc3(
    session: SessionDep,
    actor: CurrentManager,
    year: Annotated[
        int | None,
        Query(
            ge=2000,
            le=2100,
            description="Collection year ending 31 March of this year (default: the latest ended)",
        ),
    ] = None,
) -> Response:
    """SSDA903 table OC3 (CHILD, DOB, IN_TOUCH, ACTIV, ACCOM) for a collection year, as CSV."""
    return _csv(await exports.ssda903_oc3(session, actor, year))


@router.get(
    "/exports/annex-a-list-9.csv",
    response_class=Response,
    responses={**CSV_RESPONSE, **problem_responses(401, 403)},
)
async def export_annex_a_list_9(session: SessionDep, actor: CurrentManager) -> Response:
    """Ofsted ILACS Annex A List 9 (care leavers) as of today, as CSV."""
    return _csv(await exports.annex_a_list_9(session, actor))


@router.get(
    "/{measure}/young-people",
    response_model=Page[MeasureRow],
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **problem_responses(401, 403, 404, 422),
    },
)
async def list_measure_young_people(
    request: Request,
    session: SessionDep,
    actor: CaseworkStaff,
    page: PageDep,
    measure: Annotated[
        str,
        Path(
            max_length=40,
            description="A measure name: " + ", ".join(m.value for m in MeasureName),
        ),
    ],
    as_of: AsOf = None,
    team: TeamId = None,
    adviser: AdviserId = None,
    met: Annotated[
        bool | None, Query(description="true: only those who meet it; false: only those who do not")
    ] = None,
    sort: Annotated[
        str,
        Query(
            pattern=f"^-?({SORTS})$",
            description="urgency (needing attention first, most overdue first), name, "
            "date_of_birth, adviser or team; prefix - to reverse",
        ),
    ] = "urgency",
    document_type: Annotated[
        str | None,
        Query(max_length=60, description="documents_by_18 only: one document type's key"),
    ] = None,
    entitlement: Annotated[
        str | None,
        Query(max_length=100, description="entitlements_received only: one entitlement's slug"),
    ] = None,
    format: Annotated[
        Literal["json", "csv"] | None,
        Query(description="csv: every row as CSV (as does Accept: text/csv); paging is ignored"),
    ] = None,
) -> Page[MeasureRow] | Response:
    """The young people behind a figure: who is counted, whether they meet it, and why not."""
    as_csv = format == "csv" or (format is None and "text/csv" in request.headers.get("accept", ""))
    cached = await _cached(request)
    listing = await measures.young_people(
        session,
        actor,
        library_of(request),
        measure,
        as_of=as_of,
        team_id=team,
        adviser_id=adviser,
        met=met,
        sort=sort,
        page=None if as_csv else page,
        document_type=document_type,
        entitlement=entitlement,
        cached=cached,
    )
    if as_csv:
        return _csv(exports.measure_csv(measure, listing.as_of, listing.rows))
    return measures.as_page(listing, page)
