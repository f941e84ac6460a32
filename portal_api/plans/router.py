"""Pathway plan routes (DESIGN.md): the plan, its versions and PDF, drafting, responses, reviews."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request, Response, status

from portal_api.audit import service as audit
from portal_api.auth.dependencies import (
    CaseworkStaff,
    CurrentActor,
    CurrentManager,
    CurrentYoungPerson,
)
from portal_api.auth.send_limit import YOUNG_PERSON_WRITE_LIMIT
from portal_api.common.etags import IfMatchRequired
from portal_api.common.kept import keep_until, next_midnight
from portal_api.common.responses import json_of
from portal_api.common.schemas import MAX_INT
from portal_api.db.base import utcnow
from portal_api.db.session import SessionDep
from portal_api.errors import problem_responses
from portal_api.models import ReceiptHow, Role, YoungPerson
from portal_api.people.scope import (
    Access,
    YoungPersonForWrite,
    YoungPersonThemselvesOrForWrite,
    YoungPersonToActOn,
    young_person_for,
)
from portal_api.plans import caseload, drafting, pdf_service, service
from portal_api.plans.dependencies import pdf_renderer
from portal_api.plans.schemas import (
    CaseloadPlanRow,
    DraftCreate,
    DraftUpdate,
    PlanOverview,
    ReceiptIn,
    ResponseIn,
    ReviewRequestIn,
    ReviewRequestRead,
    VersionListItem,
    VersionRead,
)

router = APIRouter(tags=["pathway plans"])
Number = Annotated[int, Path(ge=1, le=MAX_INT, description="version number, from 1")]
IfMatch = Annotated[str | None, Header(description="the ETag of the draft you edited")]
PLAN = "/young-people/{yp}/plan"
# Each way of reading the plan leaves its own event in the young person's access log.
PlanForRead = Annotated[YoungPerson, young_person_for(Access.read, "plan.read")]
PlanVersionsForRead = Annotated[YoungPerson, young_person_for(Access.read, "plan.versions.read")]
PlanVersionForRead = Annotated[YoungPerson, young_person_for(Access.read, "plan.version.read")]
PlanPdfForRead = Annotated[YoungPerson, young_person_for(Access.read, "plan.pdf.read")]


def _with_etag(response: Response, version: VersionRead) -> VersionRead:
    response.headers["ETag"] = version.etag
    return version


@router.get(PLAN, response_model=PlanOverview, responses=problem_responses(401, 403, 404))
async def get_plan(
    request: Request, session: SessionDep, actor: CurrentActor, person: PlanForRead
) -> Response:
    """The current agreed version, any version in progress, and when the next review is due."""
    overview = await service.overview(session, actor, person)
    keep_until(request, next_midnight(utcnow()))  # what is overdue moves with the date
    return json_of(overview)


@router.get(
    f"{PLAN}/versions",
    response_model=list[VersionListItem],
    responses=problem_responses(401, 403, 404),
)
async def list_plan_versions(
    session: SessionDep, actor: CurrentActor, person: PlanVersionsForRead
) -> list[VersionListItem]:
    """Every version the reader may see, newest first, with when a copy was first received."""
    return await service.list_versions(session, actor, person)


@router.get(
    f"{PLAN}/versions/{{n}}", response_model=VersionRead, responses=problem_responses(401, 403, 404)
)
async def get_plan_version(
    session: SessionDep,
    actor: CurrentActor,
    person: PlanVersionForRead,
    n: Number,
    response: Response,
) -> VersionRead:
    """One version. Reading it records nothing: the app says when the young person opened it
    (``POST …/opened``)."""
    return _with_etag(response, await service.version_read(session, actor, person, n))


@router.post(
    f"{PLAN}/versions/{{n}}/opened",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404),
)
async def record_plan_opened(
    session: SessionDep, actor: CurrentYoungPerson, person: YoungPersonToActOn, n: Number
) -> None:
    """The young person opened this version in the app: an agreed version counts as a copy
    received (once, however often it is opened). Send it when they open it, not on a refresh."""
    await service.record_opened(session, actor, person, n)


@router.get(
    f"{PLAN}/versions/{{n}}/pdf",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The plan as a tagged PDF"},
        **problem_responses(401, 403, 404, 409),
        503: {"description": "The PDF took too long to make; try again"},
    },
)
async def download_plan_pdf(
    request: Request, session: SessionDep, actor: CurrentActor, person: PlanPdfForRead, n: Number
) -> Response:
    """The agreed version as an accessible PDF; a young person downloading it receives a copy."""
    version = await service.get_version(session, actor, person, n)
    pdf = await pdf_service.plan_pdf(session, pdf_renderer(request), person, version)
    if actor.role is Role.young_person:
        await service.record_receipt(session, version, ReceiptHow.downloaded)
    filename = f"pathway-plan-{n}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post(
    f"{PLAN}/draft",
    response_model=VersionRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def start_plan_draft(
    session: SessionDep,
    actor: CaseworkStaff,
    person: YoungPersonForWrite,
    body: DraftCreate,
    response: Response,
) -> VersionRead:
    """Start the next version: a copy of the latest agreed one (open actions carried over) or blank."""
    return _with_etag(
        response, await drafting.create_draft(session, actor, person, body.copy_latest)
    )


@router.patch(
    f"{PLAN}/draft",
    response_model=VersionRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
)
async def update_plan_draft(
    session: SessionDep,
    actor: CaseworkStaff,
    person: YoungPersonForWrite,
    body: DraftUpdate,
    response: Response,
    if_match: IfMatchRequired,
) -> VersionRead:
    """Edit the draft (If-Match required); editing a shared version takes it back to draft."""
    return _with_etag(response, await drafting.update_draft(session, actor, person, body, if_match))


@router.post(
    f"{PLAN}/draft/submit",
    response_model=VersionRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def submit_plan_draft(
    session: SessionDep,
    actor: CaseworkStaff,
    person: YoungPersonForWrite,
    response: Response,
    if_match: IfMatch = None,
) -> VersionRead:
    """Share the draft with the young person; refused with every missing owner, date and section."""
    return _with_etag(response, await drafting.submit_draft(session, actor, person, if_match))


@router.post(
    f"{PLAN}/versions/{{n}}/response",
    response_model=VersionRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 422, 429),
    dependencies=[YOUNG_PERSON_WRITE_LIMIT],
)
async def respond_to_plan(
    session: SessionDep,
    actor: CurrentYoungPerson,
    person: YoungPersonToActOn,
    n: Number,
    body: ResponseIn,
) -> VersionRead:
    """The young person agrees, disagrees or comments (on the plan or one section)."""
    return await drafting.respond(session, actor, person, n, body)


@router.post(
    f"{PLAN}/versions/{{n}}/approve",
    response_model=VersionRead,
    responses=problem_responses(401, 403, 404, 409),
)
async def approve_plan(
    session: SessionDep, actor: CurrentManager, person: YoungPersonForWrite, n: Number
) -> VersionRead:
    """A manager signs off a version the young person agreed (when the council requires it)."""
    return await drafting.approve(session, actor, person, n)


@router.post(
    f"{PLAN}/versions/{{n}}/receipts",
    response_model=VersionRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def record_plan_copy_given(
    session: SessionDep,
    actor: CaseworkStaff,
    person: YoungPersonForWrite,
    n: Number,
    body: ReceiptIn,
) -> VersionRead:
    """Record a copy given another way: in person, by post, by email, to a prison."""
    return await drafting.add_receipt(session, actor, person, n, body)


@router.post(
    f"{PLAN}/review-requests",
    response_model=ReviewRequestRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 422),
)
async def request_plan_review(
    session: SessionDep,
    actor: CurrentActor,
    person: YoungPersonThemselvesOrForWrite,
    body: ReviewRequestIn,
) -> ReviewRequestRead:
    """Either side asks for a review; it is due within 28 days and the manager sees it."""
    return await drafting.request_review(session, actor, person, body)


@router.get(
    "/plans/caseload",
    response_model=list[CaseloadPlanRow],
    responses=problem_responses(401, 403, 422),
)
async def list_caseload_plans(
    session: SessionDep,
    actor: CaseworkStaff,
    mine: Annotated[bool, Query(description="only my caseload (a PA's default)")] = True,
) -> list[CaseloadPlanRow]:
    """Plan dates for everyone I may see, most urgent first: overdue, then due soonest."""
    rows = await caseload.plan_dates(
        session, actor, mine=mine and actor.role is Role.personal_adviser
    )
    audit.record(session, actor, "plans.caseload.read", count=len(rows))
    return rows


@router.get(
    "/plans/review-requests",
    response_model=list[ReviewRequestRead],
    responses=problem_responses(401, 403),
)
async def list_plan_review_requests(
    session: SessionDep, actor: CaseworkStaff
) -> list[ReviewRequestRead]:
    """Open review requests for young people I may see, oldest first."""
    return await caseload.open_review_requests(session, actor)
