"""The organisation, its teams and its staff accounts."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from portal_api.auth.dependencies import CurrentActor, CurrentAdmin, CurrentStaff
from portal_api.db.session import SessionDep
from portal_api.errors import problem_responses
from portal_api.people import staff
from portal_api.people.schemas import (
    OrganisationRead,
    OrganisationUpdate,
    StaffCreate,
    StaffRead,
    StaffUpdate,
    TeamCreate,
    TeamRef,
)

router = APIRouter(tags=["organisation"])


@router.get("/organisation", response_model=OrganisationRead, responses=problem_responses(401))
async def get_organisation(session: SessionDep, actor: CurrentActor) -> OrganisationRead:
    """My organisation: name, branding and the numbers to call."""
    return await staff.get_organisation(session, actor)


@router.patch(
    "/organisation",
    response_model=OrganisationRead,
    responses=problem_responses(401, 403, 409, 422),
)
async def update_organisation(
    session: SessionDep, actor: CurrentAdmin, body: OrganisationUpdate
) -> OrganisationRead:
    """Change the organisation's settings (administrators)."""
    return await staff.update_organisation(session, actor, body)


@router.get("/teams", response_model=list[TeamRef], responses=problem_responses(401, 403))
async def list_teams(session: SessionDep, actor: CurrentStaff) -> list[TeamRef]:
    """The organisation's teams (staff)."""
    return await staff.list_teams(session, actor)


@router.post(
    "/teams",
    response_model=TeamRef,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409, 422),
)
async def create_team(session: SessionDep, actor: CurrentAdmin, body: TeamCreate) -> TeamRef:
    """Add a team (administrators)."""
    return await staff.create_team(session, actor, body)


@router.get("/staff", response_model=list[StaffRead], responses=problem_responses(401, 403))
async def list_staff(session: SessionDep, actor: CurrentStaff) -> list[StaffRead]:
    """Staff accounts in my organisation (staff)."""
    return await staff.list_staff(session, actor)


@router.post(
    "/staff",
    response_model=StaffRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409, 422),
)
async def create_staff(session: SessionDep, actor: CurrentAdmin, body: StaffCreate) -> StaffRead:
    """Create a staff account (administrators)."""
    return await staff.create_staff(session, actor, body)


@router.patch(
    "/staff/{staff_id}", response_model=StaffRead, responses=problem_responses(401, 403, 404, 422)
)
async def update_staff(
    session: SessionDep, actor: CurrentAdmin, staff_id: uuid.UUID, body: StaffUpdate
) -> StaffRead:
    """Change a staff account: name, role, teams, or disable it (which signs it out at once)."""
    return await staff.update_staff(session, actor, staff_id, body)
