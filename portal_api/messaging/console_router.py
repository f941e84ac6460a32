"""The staff console's messaging reads: the conversations list (a PA's inbox), and reading back
what availability and a check-in rhythm were set to."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from portal_api.auth.dependencies import CaseworkStaff, CurrentActor
from portal_api.common.pagination import Page, PageDep
from portal_api.db.session import SessionDep
from portal_api.errors import problem_responses
from portal_api.messaging import conversations
from portal_api.messaging.schemas import (
    AvailabilityRead,
    CheckInRhythmRead,
    Conversation,
    ConversationScope,
)
from portal_api.models import YoungPerson
from portal_api.people.scope import Access, young_person_for

router = APIRouter(tags=["messages"])
RhythmForRead = Annotated[YoungPerson, young_person_for(Access.read, "check_in_rhythm.read")]


@router.get(
    "/conversations",
    response_model=Page[Conversation],
    responses=problem_responses(401, 403, 422),
)
async def list_conversations(
    session: SessionDep,
    actor: CaseworkStaff,
    page: PageDep,
    scope: Annotated[
        ConversationScope,
        Query(description="`mine`: my caseload; `team`: all I may read; `duty`: the duty queue"),
    ] = ConversationScope.mine,
) -> Page[Conversation]:
    """Conversations with the young person, last message, unread and waiting since; longest wait first."""
    return await conversations.list_conversations(session, actor, scope, page)


@router.get(
    "/users/me/availability",
    response_model=AvailabilityRead,
    responses=problem_responses(401, 403),
)
async def get_my_availability(session: SessionDep, actor: CaseworkStaff) -> AvailabilityRead:
    """What I set: away until when, and which colleague covers."""
    return await conversations.my_availability(session, actor)


@router.get(
    "/young-people/{yp}/check-in-rhythm",
    response_model=CheckInRhythmRead,
    responses=problem_responses(401, 403, 404),
)
async def get_check_in_rhythm(
    session: SessionDep, actor: CurrentActor, person: RhythmForRead
) -> CheckInRhythmRead:
    """How often the PA asked for a check-in, the last one, and whether one is due."""
    return await conversations.rhythm_of(session, person.id)
