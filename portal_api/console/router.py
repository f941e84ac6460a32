"""The staff console's composite reads: a case's overview, and the caseload with its columns."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AfterValidator

from portal_api.auth.dependencies import CaseworkStaff
from portal_api.common.pagination import Page, PageDep
from portal_api.common.schemas import refuse_nul
from portal_api.console import caseload, overview
from portal_api.console.schemas import CaseloadLine, CaseOverview
from portal_api.db.session import SessionDep
from portal_api.errors import problem_responses
from portal_api.people.scope import YoungPersonId

router = APIRouter(tags=["staff console"])


@router.get(
    "/young-people/{yp}/overview",
    response_model=CaseOverview,
    responses=problem_responses(401, 403, 404),
)
async def get_case_overview(
    session: SessionDep, actor: CaseworkStaff, yp: YoungPersonId
) -> CaseOverview:
    """What a case page shows first, in one read: one line in the young person's access log."""
    return await overview.overview(session, actor, yp)


@router.get(
    "/caseload",
    response_model=Page[CaseloadLine],
    responses=problem_responses(401, 403, 422),
)
async def list_caseload(
    session: SessionDep,
    actor: CaseworkStaff,
    page: PageDep,
    mine: Annotated[
        bool, Query(description="true: my own caseload; false: everyone I may read")
    ] = True,
    search: Annotated[str | None, Query(max_length=100), AfterValidator(refuse_nul)] = None,
) -> Page[CaseloadLine]:
    """The caseload with unread, last contact and mood, account, concerns, checklist and review date."""
    return await caseload.caseload(
        session, actor, caseload.CaseloadFilters(mine=mine, search=search), page
    )
