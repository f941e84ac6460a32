"""The list of young people a PA searches and filters (by team, adviser, status, name or external
id), and the head of a record that the list and the full record share: name, age, status, team
and PA."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.common.pagination import Page, PageParams
from portal_api.common.time import today
from portal_api.models import LegalStatus, Team, YoungPerson, display_names
from portal_api.people import legal_status
from portal_api.people.queries import named_or_numbered, open_on
from portal_api.people.schemas import StaffRef, TeamRef, YoungPersonListItem
from portal_api.people.scope import Access, visible
from portal_api.people.status import periods_of, status_of


@dataclass(frozen=True)
class Names:
    """Team and PA names by id, for the young people on one page."""

    teams: dict[uuid.UUID, str]
    staff: dict[uuid.UUID, str]


async def names_of(session: AsyncSession, people: Sequence[YoungPerson]) -> Names:
    """Two queries however long the page, rather than one per young person."""
    team_ids = {p.team_id for p in people if p.team_id}
    staff_ids = {p.personal_adviser_id for p in people if p.personal_adviser_id}
    teams = (
        dict((await session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids)))).all())
        if team_ids
        else {}
    )
    return Names(teams=teams, staff=await display_names(session, staff_ids))


def list_item_fields(person: YoungPerson, names: Names, on: date) -> dict[str, object]:
    """The head of a record: a list item, and the start of the full record (``service``)."""
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
        query = query.where(open_on(today()))
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
    names = await names_of(session, people)
    items = [YoungPersonListItem(**list_item_fields(p, names, on)) for p in people]
    audit.record(session, actor, "young_people.list", count=len(items), offset=page.offset)
    return Page[YoungPersonListItem](items=items, total=total, limit=page.limit, offset=page.offset)
