"""Where I live for one young person: where they live now and before, and their satisfaction
checks. The concerns they raise (and what staff do about them) are in ``concerns``."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.accommodation.schemas import (
    AccommodationRead,
    ResidenceRead,
    ResidenceSet,
    SatisfactionCreate,
    SatisfactionRead,
)
from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.common.time import LONDON, today
from portal_api.errors import InvalidInput
from portal_api.models import (
    Provider,
    Residence,
    SatisfactionResponse,
    Scheme,
    User,
    YoungPerson,
)
from portal_api.people.codes import ACCOMMODATION_TYPE
from portal_api.people.legal_status import add_months, age_on

SATISFACTION_EVERY_MONTHS = 3
STAFF_LIST_LIMIT = 500


def start_of_day(day: date) -> datetime:
    """Midnight in England at the start of ``day``: "in the last 3 months" counts whole days."""
    return datetime.combine(day, time(), LONDON)


def full_name(given: str, preferred: str | None, family: str) -> str:
    return f"{preferred or given} {family}"


# --- a young person's accommodation -------------------------------------------------------------


async def current_residence(session: AsyncSession, young_person_id: uuid.UUID) -> Residence | None:
    current: Residence | None = await session.scalar(
        select(Residence).where(
            Residence.young_person_id == young_person_id, Residence.until_on.is_(None)
        )
    )
    return current


async def accommodation(session: AsyncSession, person: YoungPerson) -> AccommodationRead:
    rows = await session.execute(
        select(Residence, Scheme.name, Scheme.address, Provider.name, User.display_name)
        .outerjoin(Scheme, Scheme.id == Residence.scheme_id)
        .outerjoin(Provider, Provider.id == Scheme.provider_id)
        .outerjoin(User, User.id == Residence.recorded_by_id)
        .where(Residence.young_person_id == person.id)
        .order_by(Residence.since_on.desc(), Residence.created_at.desc())
    )
    places = [
        ResidenceRead(
            id=r.id,
            code=r.code,
            accommodation_type_name=ACCOMMODATION_TYPE[r.code[0]],
            suitable=r.suitable,
            since=r.since_on,
            until=r.until_on,
            scheme_id=r.scheme_id,
            scheme_name=scheme_name,
            provider_name=provider_name,
            address=scheme_address if r.scheme_id else r.address,
            reasons=r.reasons,
            recorded_by=recorded_by,
        )
        for r, scheme_name, scheme_address, provider_name, recorded_by in rows
    ]
    current = next((p for p in places if p.until is None), None)
    last = (
        await session.execute(
            select(SatisfactionResponse, Scheme.name)
            .outerjoin(Scheme, Scheme.id == SatisfactionResponse.scheme_id)
            .where(SatisfactionResponse.young_person_id == person.id)
            .order_by(SatisfactionResponse.created_at.desc())
            .limit(1)
        )
    ).first()
    due_since = start_of_day(add_months(today(), -SATISFACTION_EVERY_MONTHS))
    return AccommodationRead(
        young_person_id=person.id,
        current=current,
        history=[p for p in places if p is not current],
        satisfaction_due=last is None or last[0].created_at < due_since,
        last_satisfaction=_satisfaction_read(last[0], last[1]) if last else None,
    )


async def set_accommodation(
    session: AsyncSession, actor: Actor, person: YoungPerson, data: ResidenceSet
) -> AccommodationRead:
    """A move: the current residence ends the day the new one begins."""
    if data.since < person.date_of_birth:
        raise InvalidInput("since", "is before the young person was born")
    letter = data.code[0]
    if data.scheme_id is not None:
        scheme = await session.get(Scheme, data.scheme_id)
        if scheme is None or scheme.org_id != person.org_id:
            raise InvalidInput("scheme_id", "no scheme with that id in your council's register")
        if scheme.accommodation_type != letter:
            kind = scheme.accommodation_type
            raise InvalidInput(
                "code",
                f"{scheme.name} is {kind} ({ACCOMMODATION_TYPE[kind]}): use {kind}1 or {kind}2",
            )
    if letter == "Z" and age_on(person.date_of_birth, data.since) == 17:
        raise InvalidInput("code", "Z (with former foster carers) is not used at 17")
    current = await current_residence(session, person.id)
    if current is not None:
        if data.since <= current.since_on:
            raise InvalidInput(
                "since",
                f"must be after {current.since_on:%-d %B %Y}, when where they live now began",
            )
        current.until_on = data.since
        await session.flush()  # the old one closes before the new one opens (one current each)
    session.add(
        Residence(
            org_id=person.org_id,
            young_person_id=person.id,
            scheme_id=data.scheme_id,
            address=data.address,
            code=data.code,
            suitable=data.code.endswith("1"),
            since_on=data.since,
            reasons={k.value: v for k, v in data.reasons.items()},
            recorded_by_id=actor.user.id,
        )
    )
    audit.record(session, actor, "accommodation.change", young_person_id=person.id, code=data.code)
    await session.flush()
    return await accommodation(session, person)


def _satisfaction_read(answer: SatisfactionResponse, scheme_name: str | None) -> SatisfactionRead:
    return SatisfactionRead(
        id=answer.id,
        rating=answer.rating,
        comment=answer.comment,
        scheme_id=answer.scheme_id,
        scheme_name=scheme_name,
        created_at=answer.created_at,
    )


async def answer_satisfaction(
    session: AsyncSession, actor: Actor, person: YoungPerson, data: SatisfactionCreate
) -> SatisfactionRead:
    """The young person's own answer, about where they live now (a scheme, if they are in one)."""
    current = await current_residence(session, person.id)
    scheme = await session.get(Scheme, current.scheme_id) if current and current.scheme_id else None
    answer = SatisfactionResponse(
        org_id=person.org_id,
        young_person_id=person.id,
        scheme_id=scheme.id if scheme else None,
        rating=data.rating,
        comment=data.comment,
    )
    session.add(answer)
    audit.record(session, actor, "accommodation.satisfaction", young_person_id=person.id)
    await session.flush()
    return _satisfaction_read(answer, scheme.name if scheme else None)
