"""Read marks: marking a conversation read, how many messages a reader has not read, and how far
the other side has read, kept in the read marks rather than only in the live ``read`` event: a
phone that was offline when its PA read still shows "Seen"."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.actor import Actor
from portal_api.db.base import utcnow
from portal_api.errors import InvalidInput
from portal_api.messaging.events import Live, publish_later
from portal_api.models import Message, ReadMark, Role, User, YoungPerson


async def read_up_to(session: AsyncSession, actor: Actor, person: YoungPerson) -> int | None:
    """For the young person: their newest message that some member of staff has read (who read
    it is never said). For staff: how far the young person has read. None: nothing read yet."""
    if actor.role is Role.young_person:
        staff_read = (
            select(func.max(ReadMark.last_read_id))
            .where(ReadMark.young_person_id == person.id, ReadMark.user_id != actor.user.id)
            .scalar_subquery()
        )
        found: int | None = await session.scalar(
            select(func.max(Message.id)).where(
                Message.young_person_id == person.id,
                Message.sender_id == actor.user.id,
                Message.id <= staff_read,
            )
        )
        return found
    young_person_read: int | None = await session.scalar(
        select(func.max(ReadMark.last_read_id))
        .join(User, User.id == ReadMark.user_id)
        .where(ReadMark.young_person_id == person.id, User.young_person_id == person.id)
    )
    return young_person_read


def read_event(actor: Actor, person: YoungPerson, up_to: int) -> dict[str, Any]:
    """The live ``read`` event: which conversation, how far, and which side read (never which
    member of staff: a young person's phone learns nothing about staff accounts)."""
    return {
        "type": "read",
        "young_person_id": str(person.id),
        "by": "young_person" if actor.role is Role.young_person else "staff",
        "up_to": up_to,
    }


async def unread(
    session: AsyncSession, user_id: uuid.UUID, young_person_id: uuid.UUID, *, young_person: bool
) -> int:
    """Messages from others after this reader's mark; a young person never counts a hidden one."""
    last = await session.scalar(
        select(ReadMark.last_read_id).where(
            ReadMark.young_person_id == young_person_id, ReadMark.user_id == user_id
        )
    )
    query = (
        select(func.count())
        .select_from(Message)
        .where(
            Message.young_person_id == young_person_id,
            Message.id > (last or 0),
            (Message.sender_id != user_id) | Message.sender_id.is_(None),
        )
    )
    if young_person:
        query = query.where(Message.hidden_at.is_(None))
    return int(await session.scalar(query) or 0)


async def mark_read(
    session: AsyncSession, actor: Actor, person: YoungPerson, up_to: int, *, live: Live
) -> int:
    newest = await session.scalar(
        select(func.max(Message.id)).where(Message.young_person_id == person.id)
    )
    if newest is None or up_to > newest:
        raise InvalidInput("up_to", "is not a message in this conversation")
    mark = await session.get(ReadMark, (person.id, actor.user.id))
    if mark is None:
        session.add(ReadMark(young_person_id=person.id, user_id=actor.user.id, last_read_id=up_to))
    elif up_to > mark.last_read_id:
        mark.last_read_id, mark.read_at = up_to, utcnow()
    await session.flush()  # the unread count below must see the new mark
    publish_later(
        session,
        live,
        read_event(actor, person, up_to),
        person.org_id,
    )
    return await unread(
        session, actor.user.id, person.id, young_person=actor.role is Role.young_person
    )
