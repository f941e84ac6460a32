"""Young people: the staff list, records, the phone's home screen, contacts, observations,
invites and staff-started password resets."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response, status
from pydantic import AfterValidator

from portal_api.audit import service as audit
from portal_api.audit.schemas import AccessLogEntry
from portal_api.auth import invites
from portal_api.auth.dependencies import CaseworkStaff, CurrentActor
from portal_api.auth.schemas import InviteCreate, InviteRead, PasswordResetSent, PasswordResetStart
from portal_api.common.pagination import Page, PageDep
from portal_api.common.schemas import refuse_nul
from portal_api.config import SettingsDep
from portal_api.db.session import SessionDep, after_commit
from portal_api.errors import InvalidInput, problem_responses
from portal_api.models import LegalStatus, Role, YoungPerson
from portal_api.people import listing, records, service
from portal_api.people.schemas import (
    ContactCreate,
    ContactRead,
    ObservationCreate,
    ObservationRead,
    YoungPersonCreate,
    YoungPersonListItem,
    YoungPersonRead,
    YoungPersonUpdate,
)
from portal_api.people.scope import Access, YoungPersonForWrite, young_person_for

router = APIRouter(prefix="/young-people", tags=["young people"])
# Each way of reading a record leaves its own event in the young person's access log.
YoungPersonForRecordRead = Annotated[
    YoungPerson, young_person_for(Access.read, "young_person.read")
]
AccessLogForRead = Annotated[YoungPerson, young_person_for(Access.read, "access_log.read")]
ContactsForRead = Annotated[YoungPerson, young_person_for(Access.read, "contacts.read")]
ObservationsForRead = Annotated[YoungPerson, young_person_for(Access.read, "observations.read")]
InviteForRead = Annotated[YoungPerson, young_person_for(Access.read, "invite.read")]


def _etag(version: int) -> str:
    return f'"{version}"'


def _parse_if_match(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    try:
        return int(if_match.strip().removeprefix("W/").strip('"'))
    except ValueError:
        raise InvalidInput("header.If-Match", 'use the ETag from the last read, like "3"') from None


@router.get(
    "", response_model=Page[YoungPersonListItem], responses=problem_responses(401, 403, 422)
)
async def list_young_people(
    session: SessionDep,
    actor: CaseworkStaff,
    page: PageDep,
    team: uuid.UUID | None = None,
    adviser: Annotated[str | None, Query(description="a PA's id, or `me`")] = None,
    status: LegalStatus | None = None,
    search: Annotated[str | None, Query(max_length=100), AfterValidator(refuse_nul)] = None,
    include_closed: bool = False,
) -> Page[YoungPersonListItem]:
    """Young people I may see, filtered by team, adviser, status or a name search."""
    adviser_id: uuid.UUID | None = None
    if adviser == "me":
        adviser_id = actor.user.id
    elif adviser:
        try:
            adviser_id = uuid.UUID(adviser)
        except ValueError:
            raise InvalidInput("query.adviser", "a personal adviser's id, or `me`") from None
    filters = listing.ListFilters(
        team_id=team,
        adviser_id=adviser_id,
        status=status,
        search=search,
        include_closed=include_closed,
    )
    return await listing.list_young_people(session, actor, filters, page)


@router.post(
    "",
    response_model=YoungPersonRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409, 422),
)
async def create_young_person(
    session: SessionDep, actor: CaseworkStaff, body: YoungPersonCreate, response: Response
) -> YoungPersonRead:
    """Add a young person to a team (a PA adds them to their own caseload)."""
    person = await service.create_young_person(session, actor, body)
    read = await service.read_model(session, person)
    response.headers["ETag"] = _etag(read.version)
    return read


@router.get("/{yp}", response_model=YoungPersonRead, responses=problem_responses(401, 403, 404))
async def get_young_person_record(
    session: SessionDep, actor: CurrentActor, person: YoungPersonForRecordRead, response: Response
) -> YoungPersonRead:
    """A young person's record (their own, for a young person)."""
    read = await service.read_model(session, person)
    response.headers["ETag"] = _etag(read.version)
    return read


@router.patch(
    "/{yp}",
    response_model=YoungPersonRead,
    responses=problem_responses(401, 403, 404, 412, 422),
)
async def update_young_person(
    session: SessionDep,
    actor: CaseworkStaff,
    person: YoungPersonForWrite,
    body: YoungPersonUpdate,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> YoungPersonRead:
    """Change a record; send If-Match with the ETag you read so nobody's change is lost."""
    await service.update_young_person(session, actor, person, body, _parse_if_match(if_match))
    read = await service.read_model(session, person)
    response.headers["ETag"] = _etag(read.version)
    return read


@router.get(
    "/{yp}/access-log",
    response_model=Page[AccessLogEntry],
    responses=problem_responses(401, 403, 404, 422),
)
async def get_access_log(
    session: SessionDep, actor: CurrentActor, person: AccessLogForRead, page: PageDep
) -> Page[AccessLogEntry]:
    """Which staff looked at or changed this record, and when, newest first."""
    return await audit.access_log(
        session, person.id, page, for_young_person=actor.role is Role.young_person
    )


@router.get(
    "/{yp}/contacts", response_model=list[ContactRead], responses=problem_responses(401, 403, 404)
)
async def list_contacts(
    session: SessionDep, actor: CaseworkStaff, person: ContactsForRead
) -> list[ContactRead]:
    """The PA's record of contacts, newest first."""
    return await records.list_contacts(session, person)


@router.post(
    "/{yp}/contacts",
    response_model=ContactRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 422),
)
async def record_contact(
    session: SessionDep, actor: CaseworkStaff, person: YoungPersonForWrite, body: ContactCreate
) -> ContactRead:
    """Record a contact (a visit, a call, a message)."""
    return await records.add_contact(session, actor, person, body)


@router.get(
    "/{yp}/observations",
    response_model=list[ObservationRead],
    responses=problem_responses(401, 403, 404),
)
async def list_observations(
    session: SessionDep, actor: CaseworkStaff, person: ObservationsForRead
) -> list[ObservationRead]:
    """In touch, activity and accommodation over time (SSDA903 codes), newest first."""
    return await records.list_observations(session, person)


@router.post(
    "/{yp}/observations",
    response_model=ObservationRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 422),
)
async def record_observation(
    session: SessionDep, actor: CaseworkStaff, person: YoungPersonForWrite, body: ObservationCreate
) -> ObservationRead:
    """Record in touch / activity / accommodation on a date."""
    return await records.add_observation(session, actor, person, body)


@router.post(
    "/{yp}/invites",
    response_model=InviteRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def invite_young_person(
    request: Request,
    session: SessionDep,
    actor: CaseworkStaff,
    settings: SettingsDep,
    person: YoungPersonForWrite,
    body: InviteCreate,
) -> InviteRead:
    """Send a young person their invite to the app (by SMS to their mobile, or email): single
    use, for 72 hours; sending again stops the last link working. Staff never see the link."""
    sent = await invites.send_invite(
        session,
        actor,
        person,
        channel=body.channel,
        email=body.email,
        public_url=settings.public_url,
        lifetime=timedelta(hours=settings.invite_lifetime_hours),
    )
    _wake_the_outbox(request, session)
    return sent


@router.get(
    "/{yp}/invites/latest",
    response_model=InviteRead,
    responses=problem_responses(401, 403, 404),
)
async def get_latest_invite(
    session: SessionDep, actor: CaseworkStaff, person: InviteForRead
) -> InviteRead:
    """Where the young person's invite stands: none, sent (how, when, to a masked address, until
    when), expired, or accepted."""
    return await invites.latest_invite(session, person)


@router.post(
    "/{yp}/password-reset",
    response_model=PasswordResetSent,
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def start_password_reset(
    request: Request,
    session: SessionDep,
    actor: CaseworkStaff,
    settings: SettingsDep,
    person: YoungPersonForWrite,
    body: PasswordResetStart,
) -> PasswordResetSent:
    """Send a young person who cannot sign in a link to choose a new password (by SMS, or
    email). Staff never see the link or a password; the young person's access log shows it."""
    sent = await invites.start_password_reset(
        session,
        actor,
        person,
        channel=body.channel,
        public_url=settings.public_url,
        lifetime=timedelta(minutes=settings.password_reset_lifetime_minutes),
    )
    _wake_the_outbox(request, session)
    return sent


def _wake_the_outbox(request: Request, session: SessionDep) -> None:
    """Once committed, the worker sends the link now rather than at its next look."""
    wake: asyncio.Event = request.app.state.outbox_wake

    async def now() -> None:
        wake.set()

    after_commit(session, now)
