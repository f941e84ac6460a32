"""How far the other side of a conversation has read, kept in the read marks rather than only
in the live ``read`` event: a phone that was offline when its PA read still shows "Seen"."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.actor import Actor
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
