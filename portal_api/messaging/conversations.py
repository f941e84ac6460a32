"""The staff console's reads over messaging: a PA's inbox of conversations (mine, my team, the
duty queue) in a fixed number of queries however long the list, and what availability and a
check-in rhythm were set to (what can be set can be read)."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from portal_api.common.actor import Actor
from portal_api.common.pagination import Page, PageParams
from portal_api.db.base import utcnow
from portal_api.messaging.check_ins import check_in_is_due
from portal_api.messaging.schemas import (
    AvailabilityRead,
    CheckInRhythmRead,
    Conversation,
    ConversationScope,
    LastMessage,
    StaffName,
)
from portal_api.models import (
    Availability,
    CheckInRhythm,
    Message,
    MessageKind,
    ReadMark,
    Role,
    User,
    YoungPerson,
)
from portal_api.people.scope import Access, audit_reads, visible

YOUNG_PERSON = Role.young_person.value


def _sender(role: str) -> str:
    if role == YOUNG_PERSON:
        return "young_person"
    return "system" if role == "system" else "staff"


def _conversations_query(actor: Actor, scope: ConversationScope) -> Select[tuple]:  # type: ignore[type-arg]
    """One row per young person with a conversation: the young person, their last message
    (system notes aside), when they started waiting, and how many the actor has not read."""
    last = (
        select(Message.young_person_id, func.max(Message.id).label("id"))
        .where(Message.kind != MessageKind.system)
        .group_by(Message.young_person_id)
        .subquery("last")
    )
    last_staff = (
        select(Message.young_person_id, func.max(Message.id).label("id"))
        .where(Message.kind != MessageKind.system, Message.sender_role != YOUNG_PERSON)
        .group_by(Message.young_person_id)
        .subquery("last_staff")
    )
    # Waiting since their first message after staff last wrote (all of it, if staff never did).
    waiting = (
        select(Message.young_person_id, func.min(Message.created_at).label("since"))
        .outerjoin(last_staff, last_staff.c.young_person_id == Message.young_person_id)
        .where(
            Message.kind != MessageKind.system,
            Message.sender_role == YOUNG_PERSON,
            Message.id > func.coalesce(last_staff.c.id, 0),
        )
        .group_by(Message.young_person_id)
        .subquery("waiting")
    )
    mark = aliased(ReadMark)
    unread = (
        select(Message.young_person_id, func.count().label("n"))
        .outerjoin(
            mark,
            and_(mark.young_person_id == Message.young_person_id, mark.user_id == actor.user.id),
        )
        .where(
            Message.id > func.coalesce(mark.last_read_id, 0),
            (Message.sender_id != actor.user.id) | Message.sender_id.is_(None),
            Message.hidden_at.is_(None),
        )
        .group_by(Message.young_person_id)
        .subquery("unread")
    )
    adviser = aliased(User)
    query = (
        select(
            YoungPerson,
            Message,
            adviser.display_name.label("adviser_name"),
            waiting.c.since,
            func.coalesce(unread.c.n, 0).label("unread"),
        )
        .join(last, last.c.young_person_id == YoungPerson.id)
        .join(Message, Message.id == last.c.id)
        .outerjoin(adviser, adviser.id == YoungPerson.personal_adviser_id)
        .outerjoin(waiting, waiting.c.young_person_id == YoungPerson.id)
        .outerjoin(unread, unread.c.young_person_id == YoungPerson.id)
        .where(visible(actor, Access.read))
    )
    if scope is ConversationScope.mine:
        query = query.where(YoungPerson.personal_adviser_id == actor.user.id)
    elif scope is ConversationScope.duty:
        query = query.where(Message.to_duty_queue.is_(True), Message.sender_role == YOUNG_PERSON)
    # Who has waited longest first; then those nobody owes a reply, latest conversation first.
    return query.order_by(
        case((waiting.c.since.is_(None), 1), else_=0),
        waiting.c.since,
        Message.id.desc(),
    )


async def list_conversations(
    session: AsyncSession, actor: Actor, scope: ConversationScope, page: PageParams
) -> Page[Conversation]:
    """A PA's inbox: one line per young person, who has waited longest for a reply first.
    Each young person listed gets one read event, as opening their conversation would."""
    query = _conversations_query(actor, scope)
    total = await page.count(session, query)
    rows = (await session.execute(query.limit(page.limit).offset(page.offset))).all()
    items = [
        Conversation(
            young_person_id=person.id,
            young_person_name=person.full_name,
            external_id=person.external_id,
            personal_adviser_name=adviser_name,
            duty_cover=actor.role is Role.personal_adviser
            and person.personal_adviser_id != actor.user.id,
            last_message=LastMessage(
                id=message.id,
                kind=message.kind,
                mood=message.mood,
                sender=_sender(message.sender_role),
                at=message.created_at,
                hidden=message.hidden_at is not None,
            ),
            unread=unread,
            # Nobody waits on a conversation whose last word was staff's.
            waiting_since=since if message.sender_role == YOUNG_PERSON else None,
            in_duty_queue=message.to_duty_queue and message.sender_role == YOUNG_PERSON,
        )
        for person, message, adviser_name, since, unread in rows
    ]
    await audit_reads(session, actor, (c.young_person_id for c in items), "conversations.read")
    return Page[Conversation](items=items, total=total, limit=page.limit, offset=page.offset)


async def my_availability(session: AsyncSession, actor: Actor) -> AvailabilityRead:
    """What I set: away until when, who covers (nothing set reads as "not away")."""
    row = (
        await session.execute(
            select(Availability, User.display_name)
            .outerjoin(User, User.id == Availability.cover_id)
            .where(Availability.user_id == actor.user.id)
        )
    ).one_or_none()
    if row is None:
        return AvailabilityRead(
            away_until=None, away_now=False, cover=None, note=None, updated_at=None
        )
    availability, cover_name = row
    return AvailabilityRead(
        away_until=availability.away_until,
        away_now=availability.away_until is not None and availability.away_until > utcnow(),
        cover=StaffName(id=availability.cover_id, name=cover_name)
        if availability.cover_id and cover_name
        else None,
        note=availability.note,
        updated_at=availability.updated_at,
    )


async def rhythm_of(session: AsyncSession, young_person_id: uuid.UUID) -> CheckInRhythmRead:
    """The check-in rhythm the PA set, when they last checked in and whether one is due."""
    last = (
        select(func.max(Message.created_at))
        .where(Message.young_person_id == young_person_id, Message.kind == MessageKind.check_in)
        .scalar_subquery()
    )
    row = (
        await session.execute(
            select(CheckInRhythm, User.display_name, last.label("last"))
            .outerjoin(User, User.id == CheckInRhythm.set_by_id)
            .where(CheckInRhythm.young_person_id == young_person_id)
        )
    ).one_or_none()
    if row is None:
        last_at = await session.scalar(select(last))
        return CheckInRhythmRead(
            every_days=None, set_at=None, set_by=None, last_check_in_at=last_at, due=False
        )
    rhythm, set_by_name, last_at = row
    return CheckInRhythmRead(
        every_days=rhythm.every_days,
        set_at=rhythm.set_at,
        set_by=StaffName(id=rhythm.set_by_id, name=set_by_name) if set_by_name else None,
        last_check_in_at=last_at,
        due=check_in_is_due(rhythm.every_days, rhythm.set_at, last_at, utcnow()),
    )


__all__ = ["list_conversations", "my_availability", "rhythm_of"]
