"""A young person's concerns about where they live: raised in their own words (arriving in their
conversation, urgent ones told to staff at once), acknowledged, acted on and closed by staff with
words the young person reads."""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from portal_api.accommodation.schemas import (
    ConcernActionCreate,
    ConcernActionRead,
    ConcernClose,
    ConcernCreate,
    ConcernRaised,
    ConcernRead,
)
from portal_api.accommodation.service import STAFF_LIST_LIMIT, current_residence, full_name
from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.db.base import utcnow
from portal_api.errors import InvalidState, NotFound
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
    Scheme,
    User,
    YoungPerson,
)
from portal_api.people.scope import Access, audit_reads, visible

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
    current = await current_residence(session, person.id)
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
