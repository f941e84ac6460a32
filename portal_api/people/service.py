"""Rules for young people's records: creating, changing, reassigning, listing. The one-query reads
of a record with its care history, for the hot paths, are in ``facts``.

Services take the session first, flush when they need an id, and never commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from portal_api.audit import service as audit
from portal_api.auth import invites
from portal_api.common.actor import Actor
from portal_api.common.pagination import Page, PageParams
from portal_api.common.time import today
from portal_api.db.base import utcnow
from portal_api.errors import Conflict, Forbidden, InvalidInput, PreconditionFailed
from portal_api.models import (
    Allocation,
    CarePeriod,
    LegalStatus,
    Role,
    Team,
    User,
    YoungPerson,
    teams_of,
)
from portal_api.people import legal_status, scope
from portal_api.people.queries import named_or_numbered
from portal_api.people.schemas import (
    CarePeriodIn,
    CarePeriodRead,
    StaffRef,
    TeamRef,
    YoungPersonCreate,
    YoungPersonListItem,
    YoungPersonRead,
    YoungPersonUpdate,
)
from portal_api.people.scope import Access, visible


def periods_of(young_person: YoungPerson) -> list[legal_status.CarePeriod]:
    return [legal_status.CarePeriod(p.start_on, p.end_on) for p in young_person.care_periods]


async def care_periods(
    session: AsyncSession, young_person_id: uuid.UUID
) -> list[legal_status.CarePeriod]:
    rows = await session.execute(
        select(CarePeriod.start_on, CarePeriod.end_on).where(
            CarePeriod.young_person_id == young_person_id
        )
    )
    return sorted((legal_status.CarePeriod(s, e) for s, e in rows.all()), key=lambda p: p.start)


def status_of(
    young_person: YoungPerson,
    periods: Sequence[legal_status.CarePeriod],
    as_of: date,
) -> LegalStatus | None:
    """The legal status a PA works to: their recorded override (with a reason), else computed."""
    if young_person.status_override is not None:
        return young_person.status_override
    return legal_status.computed_status(young_person.date_of_birth, periods, as_of)


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Names:
    teams: dict[uuid.UUID, str]
    staff: dict[uuid.UUID, str]


async def _names(session: AsyncSession, people: Sequence[YoungPerson]) -> Names:
    team_ids = {p.team_id for p in people if p.team_id}
    staff_ids = {p.personal_adviser_id for p in people if p.personal_adviser_id}
    teams = (
        dict((await session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids)))).all())
        if team_ids
        else {}
    )
    staff = (
        dict(
            (
                await session.execute(
                    select(User.id, User.display_name).where(User.id.in_(staff_ids))
                )
            ).all()
        )
        if staff_ids
        else {}
    )
    return Names(teams=teams, staff=staff)


def _list_item_fields(person: YoungPerson, names: Names, on: date) -> dict[str, object]:
    periods = periods_of(person)
    return {
        "id": person.id,
        "external_id": person.external_id,
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth,
        "age": legal_status.age_on(person.date_of_birth, on),
        "status": status_of(person, periods, on),
        "team": TeamRef(id=person.team_id, name=names.teams[person.team_id])
        if person.team_id
        else None,
        "personal_adviser": StaffRef(
            id=person.personal_adviser_id, name=names.staff[person.personal_adviser_id]
        )
        if person.personal_adviser_id
        else None,
        "closed_on": person.closed_on,
    }


async def read_model(session: AsyncSession, young_person: YoungPerson) -> YoungPersonRead:
    person = await _with_periods(session, young_person.id)
    names = await _names(session, [person])
    on = today()
    has_account = await session.scalar(
        select(func.count()).select_from(User).where(User.young_person_id == person.id)
    )
    return YoungPersonRead(
        **_list_item_fields(person, names, on),
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


@dataclass(frozen=True)
class ListFilters:
    team_id: uuid.UUID | None = None
    adviser_id: uuid.UUID | None = None
    status: LegalStatus | None = None
    search: str | None = None
    include_closed: bool = False


async def list_young_people(
    session: AsyncSession, actor: Actor, filters: ListFilters, page: PageParams
) -> Page[YoungPersonListItem]:
    query: Select[YoungPerson] = select(YoungPerson).where(visible(actor, Access.read))
    if filters.team_id:
        query = query.where(YoungPerson.team_id == filters.team_id)
    if filters.adviser_id:
        query = query.where(YoungPerson.personal_adviser_id == filters.adviser_id)
    if not filters.include_closed:
        query = query.where(or_(YoungPerson.closed_on.is_(None), YoungPerson.closed_on > today()))
    if filters.search:
        query = query.where(named_or_numbered(filters.search))
    query = query.order_by(YoungPerson.family_name, YoungPerson.given_name, YoungPerson.id)
    on = today()
    if filters.status is not None:
        # Status depends on today's date and care periods, so it is decided here, not in SQL.
        everyone = (
            (await session.execute(query.options(selectinload(YoungPerson.care_periods))))
            .scalars()
            .all()
        )
        matching = [p for p in everyone if status_of(p, periods_of(p), on) == filters.status]
        total = len(matching)
        people = matching[page.offset : page.offset + page.limit]
    else:
        total = await page.count(session, query)
        people = list(
            (
                await session.execute(
                    query.options(selectinload(YoungPerson.care_periods))
                    .limit(page.limit)
                    .offset(page.offset)
                )
            ).scalars()
        )
    names = await _names(session, people)
    items = [YoungPersonListItem(**_list_item_fields(p, names, on)) for p in people]
    audit.record(session, actor, "young_people.list", count=len(items), offset=page.offset)
    return Page[YoungPersonListItem](items=items, total=total, limit=page.limit, offset=page.offset)


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
