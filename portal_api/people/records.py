"""The PA's dated records about a young person: contacts and SSDA903 status observations."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.errors import InvalidInput
from portal_api.models import Contact, StatusObservation, User, YoungPerson
from portal_api.people import legal_status
from portal_api.people.codes import observation_problems
from portal_api.people.schemas import (
    ContactCreate,
    ContactRead,
    ObservationCreate,
    ObservationRead,
    StaffRef,
)


async def add_contact(
    session: AsyncSession, actor: Actor, person: YoungPerson, data: ContactCreate
) -> ContactRead:
    if data.contact_on < person.date_of_birth:
        raise InvalidInput("contact_on", "is before the young person was born")
    contact = Contact(
        young_person_id=person.id,
        contact_on=data.contact_on,
        kind=data.kind,
        note=data.note,
        recorded_by_id=actor.user.id,
    )
    session.add(contact)
    await session.flush()
    audit.record(session, actor, "contact.create", young_person_id=person.id)
    return ContactRead(
        id=contact.id,
        contact_on=contact.contact_on,
        kind=contact.kind,
        note=contact.note,
        recorded_by=StaffRef(id=actor.user.id, name=actor.user.display_name),
    )


async def list_contacts(session: AsyncSession, person: YoungPerson) -> list[ContactRead]:
    rows = await session.execute(
        select(Contact, User.id, User.display_name)
        .outerjoin(User, User.id == Contact.recorded_by_id)
        .where(Contact.young_person_id == person.id)
        .order_by(Contact.contact_on.desc(), Contact.created_at.desc())
    )
    return [
        ContactRead(
            id=c.id,
            contact_on=c.contact_on,
            kind=c.kind,
            note=c.note,
            recorded_by=StaffRef(id=uid, name=name) if uid else None,
        )
        for c, uid, name in rows
    ]


async def add_observation(
    session: AsyncSession, actor: Actor, person: YoungPerson, data: ObservationCreate
) -> ObservationRead:
    age = legal_status.age_on(person.date_of_birth, max(data.recorded_on, person.date_of_birth))
    for field, reason in observation_problems(
        data.in_touch, data.activity, data.accommodation, age=age
    ):
        raise InvalidInput(field, reason)
    observation = StatusObservation(
        young_person_id=person.id,
        recorded_on=data.recorded_on,
        in_touch=data.in_touch,
        activity=data.activity,
        accommodation=data.accommodation,
        recorded_by_id=actor.user.id,
    )
    session.add(observation)
    await session.flush()
    audit.record(session, actor, "observation.create", young_person_id=person.id)
    return ObservationRead.model_validate(observation)


async def list_observations(session: AsyncSession, person: YoungPerson) -> list[ObservationRead]:
    rows = await session.execute(
        select(StatusObservation)
        .where(StatusObservation.young_person_id == person.id)
        .order_by(StatusObservation.recorded_on.desc())
    )
    return [ObservationRead.model_validate(o) for o in rows.scalars()]
