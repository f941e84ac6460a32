"""Follow-ups on the PA's list."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from portal_api.auth.dependencies import CaseworkStaff
from portal_api.db.session import SessionDep
from portal_api.errors import problem_responses
from portal_api.followups import service
from portal_api.followups.schemas import FollowUpRead, FollowUpResolve

router = APIRouter(prefix="/follow-ups", tags=["follow-ups"])


@router.get("", response_model=list[FollowUpRead], responses=problem_responses(401, 403, 422))
async def list_follow_ups(
    session: SessionDep,
    actor: CaseworkStaff,
    include_resolved: bool = False,
    young_person: uuid.UUID | None = None,
) -> list[FollowUpRead]:
    """What young people I may see have asked for, oldest first."""
    return await service.list_follow_ups(
        session, actor, include_resolved=include_resolved, young_person_id=young_person
    )


@router.post(
    "/{follow_up_id}/resolve",
    response_model=FollowUpRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def resolve_follow_up(
    session: SessionDep, actor: CaseworkStaff, follow_up_id: uuid.UUID, body: FollowUpResolve
) -> FollowUpRead:
    """Mark a follow-up done, saying what was done."""
    return await service.resolve(session, actor, follow_up_id, body.resolution)
