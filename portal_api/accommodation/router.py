"""Where I live: concerns, the provider register and its overview, a young person's
accommodation and satisfaction checks. DESIGN.md's contract paths come first."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, status

from portal_api.accommodation import concerns, overview, register, service
from portal_api.accommodation.schemas import (
    AccommodationRead,
    ConcernActionCreate,
    ConcernClose,
    ConcernCreate,
    ConcernRaised,
    ConcernRead,
    ProviderConcernRead,
    ProviderCreate,
    ProviderRead,
    ProvidersOverview,
    ProviderUpdate,
    QualityVisitCreate,
    QualityVisitRead,
    ResidenceSet,
    SatisfactionCreate,
    SatisfactionRead,
    SchemeCreate,
    SchemeRead,
    SchemeUpdate,
)
from portal_api.auth.dependencies import (
    CaseworkStaff,
    CurrentActor,
    CurrentManager,
    CurrentStaff,
    CurrentYoungPerson,
    ManagerOrAdmin,
)
from portal_api.auth.send_limit import YOUNG_PERSON_WRITE_LIMIT
from portal_api.db.session import SessionDep
from portal_api.errors import problem_responses
from portal_api.models import YoungPerson
from portal_api.people.scope import (
    Access,
    YoungPersonForWrite,
    YoungPersonToActOn,
    young_person_for,
)

router = APIRouter(tags=["where I live"])
ConcernId = Annotated[uuid.UUID, Path(description="a concern's id")]
CONCERNS = "/young-people/{yp}/accommodation-concerns"
ACCOMMODATION = "/young-people/{yp}/accommodation"
# Each way of reading where a young person lives leaves its own event in their access log.
AccommodationForRead = Annotated[YoungPerson, young_person_for(Access.read, "accommodation.read")]
ConcernsForRead = Annotated[
    YoungPerson, young_person_for(Access.read, "accommodation_concerns.read")
]


# Staff read the provider register (PAs included); managers and administrators keep it.


# --- the contract: DESIGN.md "Where I live" ------------------------------------------------------


@router.get(CONCERNS, response_model=list[ConcernRead], responses=problem_responses(401, 403, 404))
async def list_accommodation_concerns(
    session: SessionDep, actor: CurrentActor, person: ConcernsForRead
) -> list[ConcernRead]:
    """A young person's concerns about where they live, newest first, with what was done."""
    return await concerns.list_concerns(session, person)


@router.post(
    CONCERNS,
    response_model=ConcernRaised,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 422, 429),
    dependencies=[YOUNG_PERSON_WRITE_LIMIT],
)
async def raise_accommodation_concern(
    session: SessionDep, actor: CurrentYoungPerson, person: YoungPersonToActOn, body: ConcernCreate
) -> ConcernRaised:
    """Tell us about where you live. It goes to your PA in your conversation; an urgent safety
    concern's answer says who to call now, including the out-of-hours number."""
    return await concerns.raise_concern(session, actor, person, body)


@router.get("/providers", response_model=list[ProviderRead], responses=problem_responses(401, 403))
async def list_providers(session: SessionDep, actor: CurrentStaff) -> list[ProviderRead]:
    """The provider register: schemes, their latest quality visits and open concern counts."""
    return await register.register(session, actor)


# --- the rest of the register -----------------------------------------------------------------


@router.get(
    "/providers/overview", response_model=ProvidersOverview, responses=problem_responses(401, 403)
)
async def get_providers_overview(session: SessionDep, actor: CurrentManager) -> ProvidersOverview:
    """Concerns by provider and scheme, satisfaction by scheme, schemes with no senior visit in
    12 months and young people in unsuitable accommodation, with the names behind each."""
    return await overview.overview(session, actor)


@router.post(
    "/providers",
    response_model=ProviderRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409, 422),
)
async def create_provider(
    session: SessionDep, actor: ManagerOrAdmin, body: ProviderCreate
) -> ProviderRead:
    """Add a provider to the register."""
    return await register.create_provider(session, actor, body)


@router.patch(
    "/providers/{provider_id}",
    response_model=ProviderRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def update_provider(
    session: SessionDep, actor: ManagerOrAdmin, provider_id: uuid.UUID, body: ProviderUpdate
) -> ProviderRead:
    """Rename a provider, or record whether the council commissions it."""
    return await register.update_provider(session, actor, provider_id, body)


@router.get(
    "/providers/{provider_id}/concerns",
    response_model=list[ProviderConcernRead],
    responses=problem_responses(401, 403, 404, 422),
)
async def list_provider_concerns(
    session: SessionDep, actor: CaseworkStaff, provider_id: uuid.UUID
) -> list[ProviderConcernRead]:
    """Concerns at this provider's schemes as they may be shared with the provider: the young
    person's name is left out where they asked for that."""
    return await register.provider_concerns(session, actor, provider_id)


@router.post(
    "/providers/{provider_id}/schemes",
    response_model=SchemeRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def create_scheme(
    session: SessionDep, actor: ManagerOrAdmin, provider_id: uuid.UUID, body: SchemeCreate
) -> SchemeRead:
    """Add a scheme a provider runs."""
    return await register.create_scheme(session, actor, provider_id, body)


@router.patch(
    "/schemes/{scheme_id}",
    response_model=SchemeRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def update_scheme(
    session: SessionDep, actor: ManagerOrAdmin, scheme_id: uuid.UUID, body: SchemeUpdate
) -> SchemeRead:
    """Change a scheme's name, address, accommodation type or commissioning."""
    return await register.update_scheme(session, actor, scheme_id, body)


@router.post(
    "/schemes/{scheme_id}/visits",
    response_model=QualityVisitRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 422),
)
async def record_quality_visit(
    session: SessionDep, actor: ManagerOrAdmin, scheme_id: uuid.UUID, body: QualityVisitCreate
) -> QualityVisitRead:
    """Record a dated quality visit to a scheme: who went, what they found, what happens next."""
    return await register.record_visit(session, actor, scheme_id, body)


# --- a young person's accommodation ------------------------------------------------------------


@router.get(
    ACCOMMODATION, response_model=AccommodationRead, responses=problem_responses(401, 403, 404)
)
async def get_accommodation(
    session: SessionDep, actor: CurrentActor, person: AccommodationForRead
) -> AccommodationRead:
    """Where the young person lives now and before, and whether a satisfaction check is due."""
    return await service.accommodation(session, person)


@router.put(
    ACCOMMODATION,
    response_model=AccommodationRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def set_accommodation(
    session: SessionDep, actor: CaseworkStaff, person: YoungPersonForWrite, body: ResidenceSet
) -> AccommodationRead:
    """Record a move: where they live now ends the day the new place begins."""
    return await service.set_accommodation(session, actor, person, body)


@router.post(
    f"{ACCOMMODATION}/satisfaction",
    response_model=SatisfactionRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 422, 429),
    dependencies=[YOUNG_PERSON_WRITE_LIMIT],
)
async def answer_satisfaction_check(
    session: SessionDep,
    actor: CurrentYoungPerson,
    person: YoungPersonToActOn,
    body: SatisfactionCreate,
) -> SatisfactionRead:
    """How happy are you with where you live, from 1 to 5?"""
    return await service.answer_satisfaction(session, actor, person, body)


# --- staff work on concerns --------------------------------------------------------------------


@router.get(
    "/accommodation-concerns",
    response_model=list[ConcernRead],
    responses=problem_responses(401, 403),
)
async def list_open_accommodation_concerns(
    session: SessionDep, actor: CaseworkStaff
) -> list[ConcernRead]:
    """Open concerns of the young people I may see, oldest first."""
    return await concerns.list_open_concerns(session, actor)


@router.post(
    f"{CONCERNS}/{{concern_id}}/acknowledge",
    response_model=ConcernRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def acknowledge_accommodation_concern(
    session: SessionDep, actor: CaseworkStaff, person: YoungPersonForWrite, concern_id: ConcernId
) -> ConcernRead:
    """Tell the young person their concern has been seen and is being looked into."""
    return await concerns.acknowledge_concern(session, actor, person, concern_id)


@router.post(
    f"{CONCERNS}/{{concern_id}}/actions",
    response_model=ConcernRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def add_accommodation_concern_action(
    session: SessionDep,
    actor: CaseworkStaff,
    person: YoungPersonForWrite,
    concern_id: ConcernId,
    body: ConcernActionCreate,
) -> ConcernRead:
    """Record something done about a concern (this acknowledges it, if nobody had)."""
    return await concerns.add_action(session, actor, person, concern_id, body)


@router.post(
    f"{CONCERNS}/{{concern_id}}/close",
    response_model=ConcernRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def close_accommodation_concern(
    session: SessionDep,
    actor: CaseworkStaff,
    person: YoungPersonForWrite,
    concern_id: ConcernId,
    body: ConcernClose,
) -> ConcernRead:
    """Close a concern with its outcome, in words the young person will read."""
    return await concerns.close_concern(session, actor, person, concern_id, body)
