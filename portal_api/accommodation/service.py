"""Where I live for one young person: where they live now and before, the concerns they raise
(and what staff do about them), and their satisfaction checks."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, time

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from portal_api.accommodation.schemas import (
    AccommodationRead,
    ConcernActionCreate,
    ConcernActionRead,
    ConcernClose,
    ConcernCreate,
    ConcernRaised,
    ConcernRead,
    ResidenceRead,
    ResidenceSet,
    SatisfactionCreate,
    SatisfactionRead,
)
from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.common.time import LONDON, today
from portal_api.db.base import utcnow
from portal_api.errors import InvalidInput, InvalidState, NotFound
from portal_api.messaging import reach
from portal_api.messaging import service as messages
from portal_api.models import (
    AccommodationConcern,
    ConcernAction,
    ConcernCategory,
    ConcernStatus,
    ConcernUrgency,
    Organisation,
    Provider,
    Residence,
    SatisfactionResponse,
    Scheme,
    User,
    YoungPerson,
)
from portal_api.people.codes import ACCOMMODATION_TYPE
from portal_api.people.legal_status import add_months, age_on
from portal_api.people.scope import Access, audit_reads, visible

SATISFACTION_EVERY_MONTHS = 3
STAFF_LIST_LIMIT = 500
CATEGORY_WORDS = {
    ConcernCategory.safety: "safety",
    ConcernCategory.privacy: "privacy",
    ConcernCategory.repairs: "repairs",
    ConcernCategory.cleanliness: "cleanliness",
    ConcernCategory.support_staff: "support staff",
    ConcernCategory.neighbours: "neighbours",
    ConcernCategory.cost: "cost",
    ConcernCategory.other: "something else",
}


def start_of_day(day: date) -> datetime:
    """Midnight in England at the start of ``day``: "in the last 3 months" counts whole days."""
    return datetime.combine(day, time(), LONDON)


def full_name(given: str, preferred: str | None, family: str) -> str:
    return f"{preferred or given} {family}"


def not_closed(on: date) -> ColumnElement[bool]:
    return or_(YoungPerson.closed_on.is_(None), YoungPerson.closed_on > on)


# --- a young person's accommodation -------------------------------------------------------------


async def _current(session: AsyncSession, young_person_id: uuid.UUID) -> Residence | None:
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
    current = await _current(session, person.id)
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
    current = await _current(session, person.id)
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


# --- concerns -----------------------------------------------------------------------------------


async def _concern_reads(
    session: AsyncSession, *where: ColumnElement[bool], oldest_first: bool = False
) -> list[ConcernRead]:
    acknowledger, closer = aliased(User), aliased(User)
    rows = await session.execute(
        select(
            AccommodationConcern,
            YoungPerson.given_name,
            YoungPerson.preferred_name,
            YoungPerson.family_name,
            Scheme.name,
            Provider.name,
            acknowledger.display_name,
            closer.display_name,
        )
        .join(YoungPerson, YoungPerson.id == AccommodationConcern.young_person_id)
        .outerjoin(Scheme, Scheme.id == AccommodationConcern.scheme_id)
        .outerjoin(Provider, Provider.id == Scheme.provider_id)
        .outerjoin(acknowledger, acknowledger.id == AccommodationConcern.acknowledged_by_id)
        .outerjoin(closer, closer.id == AccommodationConcern.closed_by_id)
        .where(*where)
        .order_by(
            AccommodationConcern.created_at
            if oldest_first
            else AccommodationConcern.created_at.desc()
        )
        .limit(STAFF_LIST_LIMIT)
    )
    found = list(rows)
    actions: dict[uuid.UUID, list[ConcernActionRead]] = defaultdict(list)
    if found:
        for action, by in await session.execute(
            select(ConcernAction, User.display_name)
            .outerjoin(User, User.id == ConcernAction.by_id)
            .where(ConcernAction.concern_id.in_([c.id for c, *_ in found]))
            .order_by(ConcernAction.created_at)
        ):
            actions[action.concern_id].append(
                ConcernActionRead(note=action.note, by=by, at=action.created_at)
            )
    return [
        ConcernRead(
            id=c.id,
            young_person_id=c.young_person_id,
            young_person_name=full_name(given, preferred, family),
            scheme_id=c.scheme_id,
            scheme_name=scheme_name,
            provider_name=provider_name,
            category=c.category,
            urgency=c.urgency,
            text=c.text,
            anonymous_to_provider=c.anonymous_to_provider,
            status=c.status,
            raised_at=c.created_at,
            acknowledged_at=c.acknowledged_at,
            acknowledged_by=acknowledged_by,
            actions=actions.get(c.id, []),
            outcome=c.outcome,
            closed_at=c.closed_at,
            closed_by=closed_by,
        )
        for (
            c,
            given,
            preferred,
            family,
            scheme_name,
            provider_name,
            acknowledged_by,
            closed_by,
        ) in found
    ]


async def _concern_read(session: AsyncSession, concern: AccommodationConcern) -> ConcernRead:
    return (await _concern_reads(session, AccommodationConcern.id == concern.id))[0]


async def list_concerns(session: AsyncSession, person: YoungPerson) -> list[ConcernRead]:
    return await _concern_reads(session, AccommodationConcern.young_person_id == person.id)


async def list_open_concerns(session: AsyncSession, actor: Actor) -> list[ConcernRead]:
    """Open and acknowledged concerns of the young people this member of staff may see."""
    found = await _concern_reads(
        session,
        AccommodationConcern.status != ConcernStatus.closed,
        visible(actor, Access.read),
        oldest_first=True,
    )
    audit.record(session, actor, "accommodation_concerns.list", count=len(found))
    await audit_reads(
        session, actor, (c.young_person_id for c in found), "accommodation_concerns.read"
    )
    return found


def _what_happens_next(data: ConcernCreate, org: Organisation) -> str:
    if data.category is ConcernCategory.safety and data.urgency is ConcernUrgency.urgent:
        phone = org.out_of_hours_phone or "the council's emergency duty team"
        return (
            "If you are in danger right now, call 999. Your PA will see this as soon as they "
            f"can. When the office is closed, call the emergency duty team on {phone}."
        )
    if data.urgency is ConcernUrgency.urgent:
        return "Thank you for telling us. Your PA will see this as soon as they can."
    return "Thank you for telling us. Your PA will see this and get back to you."


async def raise_concern(
    session: AsyncSession, actor: Actor, person: YoungPerson, data: ConcernCreate
) -> ConcernRaised:
    """A young person tells us about where they live; it arrives in their conversation."""
    current = await _current(session, person.id)
    concern = AccommodationConcern(
        org_id=person.org_id,
        young_person_id=person.id,
        scheme_id=current.scheme_id if current else None,
        category=data.category,
        urgency=data.urgency,
        text=data.text,
        anonymous_to_provider=data.anonymous_to_provider,
        status=ConcernStatus.open,
    )
    session.add(concern)
    name = person.preferred_name or person.given_name
    urgent = " (urgent)" if data.urgency is ConcernUrgency.urgent else ""
    await messages.system_message(
        session,
        person,
        f"{name} raised a concern about where they live: {CATEGORY_WORDS[data.category]}"
        f"{urgent}. “{data.text}”",
    )
    # A system note in the conversation tells nobody by itself: urgent ones are sent at once.
    await messages.tell_staff(
        session,
        person,
        actor.user,
        "urgent_concern_for_staff"
        if data.urgency is ConcernUrgency.urgent
        else "concern_for_staff",
        urgent=data.urgency is ConcernUrgency.urgent,
    )
    audit.record(
        session,
        actor,
        "accommodation_concern.raise",
        young_person_id=person.id,
        category=data.category.value,
        urgency=data.urgency.value,
    )
    await session.flush()
    org = await session.get(Organisation, person.org_id)
    assert org is not None
    urgent_safety = (
        data.category is ConcernCategory.safety and data.urgency is ConcernUrgency.urgent
    )
    read = await _concern_read(session, concern)
    return ConcernRaised(
        **read.model_dump(),
        what_happens_next=_what_happens_next(data, org),
        emergency_phone=org.out_of_hours_phone if urgent_safety else None,
        reach_now=await reach.reach_now(session, person, org) if urgent_safety else None,
    )


async def _concern_to_change(
    session: AsyncSession, person: YoungPerson, concern_id: uuid.UUID
) -> AccommodationConcern:
    concern = await session.get(AccommodationConcern, concern_id)
    if concern is None or concern.young_person_id != person.id:
        raise NotFound("No concern with that id for this young person.")
    if concern.status is ConcernStatus.closed:
        raise InvalidState("This concern is closed.")
    return concern


async def _acknowledge(
    session: AsyncSession, actor: Actor, person: YoungPerson, concern: AccommodationConcern
) -> None:
    concern.status = ConcernStatus.acknowledged
    concern.acknowledged_at = utcnow()
    concern.acknowledged_by_id = actor.user.id
    await messages.system_message(
        session,
        person,
        f"{actor.user.display_name} has seen your concern about "
        f"{CATEGORY_WORDS[concern.category]} and is looking into it.",
    )


async def acknowledge_concern(
    session: AsyncSession, actor: Actor, person: YoungPerson, concern_id: uuid.UUID
) -> ConcernRead:
    concern = await _concern_to_change(session, person, concern_id)
    if concern.status is ConcernStatus.acknowledged:
        raise InvalidState("This concern has already been acknowledged.")
    await _acknowledge(session, actor, person, concern)
    audit.record(session, actor, "accommodation_concern.acknowledge", young_person_id=person.id)
    await session.flush()
    return await _concern_read(session, concern)


async def add_action(
    session: AsyncSession,
    actor: Actor,
    person: YoungPerson,
    concern_id: uuid.UUID,
    data: ConcernActionCreate,
) -> ConcernRead:
    """Something done about it. Doing something about an open concern acknowledges it."""
    concern = await _concern_to_change(session, person, concern_id)
    if concern.status is ConcernStatus.open:
        await _acknowledge(session, actor, person, concern)
    session.add(ConcernAction(concern_id=concern.id, note=data.note, by_id=actor.user.id))
    audit.record(session, actor, "accommodation_concern.action", young_person_id=person.id)
    await session.flush()
    return await _concern_read(session, concern)


async def close_concern(
    session: AsyncSession,
    actor: Actor,
    person: YoungPerson,
    concern_id: uuid.UUID,
    data: ConcernClose,
) -> ConcernRead:
    concern = await _concern_to_change(session, person, concern_id)
    now = utcnow()
    if concern.acknowledged_at is None:
        concern.acknowledged_at = now
        concern.acknowledged_by_id = actor.user.id
    concern.status = ConcernStatus.closed
    concern.outcome = data.outcome
    concern.closed_at = now
    concern.closed_by_id = actor.user.id
    await messages.system_message(
        session,
        person,
        f"Your concern about {CATEGORY_WORDS[concern.category]} is closed. "
        f"What happened: {data.outcome}",
    )
    audit.record(session, actor, "accommodation_concern.close", young_person_id=person.id)
    await session.flush()
    return await _concern_read(session, concern)
