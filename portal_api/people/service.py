"""A young person's record: reading it whole, creating it, changing it and reallocating it to
another team or PA. The list and search are in ``listing``, the status a PA works to in
``status``, the one-query reads for the phone's hot paths in ``facts``.

Services take the session first, flush when they need an id, and never commit.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from portal_api.audit import service as audit
from portal_api.auth import invites
from portal_api.common.actor import Actor
from portal_api.common.time import today
from portal_api.db.base import utcnow
from portal_api.errors import Conflict, Forbidden, InvalidInput, PreconditionFailed
from portal_api.models import Allocation, CarePeriod, Role, Team, User, YoungPerson, teams_of
from portal_api.people import legal_status, scope
from portal_api.people.listing import list_item_fields, names_of
from portal_api.people.schemas import (
    CarePeriodIn,
    CarePeriodRead,
    YoungPersonCreate,
    YoungPersonRead,
    YoungPersonUpdate,
)
from portal_api.people.status import periods_of

# --- reading ---------------------------------------------------------------------------------


async def read_model(session: AsyncSession, young_person: YoungPerson) -> YoungPersonRead:
    person = await _with_periods(session, young_person.id)
    names = await names_of(session, [person])
    on = today()
    has_account = await session.scalar(
        select(func.count()).select_from(User).where(User.young_person_id == person.id)
    )
    return YoungPersonRead(
        **list_item_fields(person, names, on),
        given_name=person.given_name,
        family_name=person.family_name,
        preferred_name=person.preferred_name,
        gender=person.gender,
        ethnicity=person.ethnicity,
        uasc=person.uasc,
        disabled=person.disabled,
        is_parent=person.is_parent,
        computed_status=legal_status.computed_status(person.date_of_birth, periods_of(person), on),
        status_override=person.status_override,
        status_override_reason=person.status_override_reason,
        preferred_language=person.preferred_language,
        mobile=person.mobile,
        email=person.email,
        care_periods=[CarePeriodRead(start=p.start_on, end=p.end_on) for p in person.care_periods],
        has_account=bool(has_account),
        invite=await invites.latest_invite(session, person),
        version=person.version,
    )


async def _with_periods(session: AsyncSession, young_person_id: uuid.UUID) -> YoungPerson:
    found = await session.execute(
        select(YoungPerson)
        .options(selectinload(YoungPerson.care_periods))
        .where(YoungPerson.id == young_person_id)
        .execution_options(populate_existing=True)
    )
    return found.scalar_one()


# --- changing --------------------------------------------------------------------------------


async def _check_team(session: AsyncSession, actor: Actor, team_id: uuid.UUID) -> None:
    team = await session.get(Team, team_id)
    if team is None or team.org_id != actor.user.org_id:
        raise InvalidInput("team_id", "no such team in your organisation")
    if actor.role is Role.manager or actor.role is Role.personal_adviser:
        my_teams = await teams_of(session, actor.user.id)
        if actor.role is Role.personal_adviser and not my_teams:
            raise Forbidden("You are not in a team yet; ask an administrator.")
        if not scope.reads_team(actor.user, my_teams, team_id):
            raise Forbidden("You can only add young people to your own teams.")


async def _check_adviser(
    session: AsyncSession, actor: Actor, adviser_id: uuid.UUID, team_id: uuid.UUID
) -> None:
    """A young person's PA is active casework staff who can read their record: in their team
    (or a council-wide manager), so the PA sees the messages they are told about."""
    adviser = await session.get(User, adviser_id)
    if (
        adviser is None
        or adviser.org_id != actor.user.org_id
        or adviser.role not in (Role.personal_adviser, Role.manager)
        or not adviser.is_active
    ):
        raise InvalidInput(
            "personal_adviser_id", "no such active personal adviser in your organisation"
        )
    if not scope.reads_team(adviser, await teams_of(session, adviser.id), team_id):
        raise InvalidInput(
            "personal_adviser_id",
            f"{adviser.display_name} is not in this young person's team; "
            "add them to the team first, or choose an adviser in it",
        )


def care_period_rows(data: list[CarePeriodIn]) -> list[CarePeriod]:
    return [CarePeriod(start_on=p.start, end_on=p.end) for p in data]


async def _external_id_taken(session: AsyncSession, org_id: uuid.UUID, external_id: str) -> bool:
    found = await session.scalar(
        select(YoungPerson.id).where(
            YoungPerson.org_id == org_id, YoungPerson.external_id == external_id
        )
    )
    return found is not None


async def create_young_person(
    session: AsyncSession, actor: Actor, data: YoungPersonCreate
) -> YoungPerson:
    await _check_team(session, actor, data.team_id)
    adviser_id = data.personal_adviser_id
    if actor.role is Role.personal_adviser:
        if adviser_id not in (None, actor.user.id):
            raise Forbidden("Only a manager can allocate a young person to another adviser.")
        adviser_id = actor.user.id
    if adviser_id is not None:
        await _check_adviser(session, actor, adviser_id, data.team_id)
    if await _external_id_taken(session, actor.user.org_id, data.external_id):
        raise Conflict(f"A young person with external id {data.external_id!r} already exists.")
    fields = data.model_dump(exclude={"care_periods", "team_id", "personal_adviser_id"})
    person = YoungPerson(
        org_id=actor.user.org_id,
        team_id=data.team_id,
        personal_adviser_id=adviser_id,
        care_periods=care_period_rows(data.care_periods),
        **fields,
    )
    session.add(person)
    await session.flush()
    session.add(
        Allocation(
            young_person_id=person.id,
            team_id=data.team_id,
            adviser_id=adviser_id,
            started_on=today(),
            recorded_by_id=actor.user.id,
        )
    )
    audit.record(session, actor, "young_person.create", young_person_id=person.id)
    return person


async def reallocate(
    session: AsyncSession,
    person: YoungPerson,
    *,
    team_id: uuid.UUID | None,
    adviser_id: uuid.UUID | None,
    on: date,
    recorded_by_id: uuid.UUID | None,
) -> bool:
    """Close the open allocation and open a new one when the team or PA changes. True if changed."""
    if person.team_id == team_id and person.personal_adviser_id == adviser_id:
        return False
    open_rows = (
        await session.execute(
            select(Allocation).where(
                Allocation.young_person_id == person.id, Allocation.ended_on.is_(None)
            )
        )
    ).scalars()
    for row in open_rows:
        row.ended_on = on
    session.add(
        Allocation(
            young_person_id=person.id,
            team_id=team_id,
            adviser_id=adviser_id,
            started_on=on,
            recorded_by_id=recorded_by_id,
        )
    )
    person.team_id = team_id
    person.personal_adviser_id = adviser_id
    return True


async def update_young_person(
    session: AsyncSession,
    actor: Actor,
    person: YoungPerson,
    data: YoungPersonUpdate,
    if_match: int | None,
) -> YoungPerson:
    if if_match is not None and if_match != person.version:
        raise PreconditionFailed(
            "Someone changed this record since you opened it. Reload it and make your change again.",
            current_version=person.version,
        )
    changes = data.model_dump(exclude_unset=True)
    reassigning = "team_id" in changes or "personal_adviser_id" in changes
    if reassigning:
        if actor.role is not Role.manager:
            raise Forbidden("Only a manager can move a young person to another team or adviser.")
        team_id = changes.pop("team_id", person.team_id)
        adviser_id = changes.pop("personal_adviser_id", person.personal_adviser_id)
        if team_id is None:
            raise InvalidInput("team_id", "a young person always belongs to a team")
        await _check_team(session, actor, team_id)
        if adviser_id is not None:
            await _check_adviser(session, actor, adviser_id, team_id)
        await reallocate(
            session,
            person,
            team_id=team_id,
            adviser_id=adviser_id,
            on=today(),
            recorded_by_id=actor.user.id,
        )
    if "care_periods" in changes:
        changes.pop("care_periods")
        loaded = await _with_periods(session, person.id)
        loaded.care_periods = care_period_rows(data.care_periods or [])
    override = changes.get("status_override", person.status_override)
    reason = changes.get("status_override_reason", person.status_override_reason)
    if override is not None and not reason:
        raise InvalidInput("status_override_reason", "say why the computed status is overridden")
    if (
        changes.get("status_override", person.status_override) is None
        and "status_override" in changes
    ):
        changes["status_override_reason"] = None
    for key in ("given_name", "family_name", "date_of_birth", "gender", "uasc", "is_parent"):
        if key in changes and changes[key] is None:
            raise InvalidInput(key, "cannot be cleared")
    for key, value in changes.items():
        setattr(person, key, value)
    person.version += 1
    person.updated_at = utcnow()
    audit.record(
        session,
        actor,
        "young_person.change",
        young_person_id=person.id,
        fields=sorted(data.model_fields_set),
    )
    await session.flush()
    return person
