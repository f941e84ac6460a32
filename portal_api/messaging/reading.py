"""Reading a conversation: a page of messages as the reader may see them (a young person never
sees a hidden message, nor whether one was hidden or flagged), with the unread count and how far
the other side has read."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.actor import Actor
from portal_api.messaging import receipts
from portal_api.messaging.schemas import MessagePage, MessageRead, StaffMessageRead
from portal_api.models import Message, Role, SafeguardingFlag, YoungPerson, display_names


def message_read(
    message: Message, names: dict[uuid.UUID, str], actor: Actor, flagged: set[int]
) -> MessageRead:
    """One message as this reader may see it: staff also see whether it is hidden or flagged."""
    fields = {
        "id": message.id,
        "young_person_id": message.young_person_id,
        "kind": message.kind,
        "body": message.body,
        "mood": message.mood,
        "sender_name": names.get(message.sender_id) if message.sender_id else None,
        "sender_role": message.sender_role,
        "from_me": message.sender_id == actor.user.id,
        "created_at": message.created_at,
        "to_duty_queue": message.to_duty_queue,
    }
    if actor.role is Role.young_person:
        return MessageRead(**fields)
    return StaffMessageRead(
        **fields,
        hidden=message.hidden_at is not None,
        hidden_reason=message.hidden_reason,
        flagged=message.id in flagged,
    )


async def list_messages(
    session: AsyncSession,
    actor: Actor,
    person: YoungPerson,
    *,
    after: int | None,
    before: int | None,
    limit: int,
) -> MessagePage:
    """Oldest first after a cursor, newest first otherwise (the latest page when no cursor)."""
    query = select(Message).where(Message.young_person_id == person.id)
    if actor.role is Role.young_person:
        query = query.where(Message.hidden_at.is_(None))
    if after is not None:
        query = query.where(Message.id > after).order_by(Message.id)
    else:
        if before is not None:
            query = query.where(Message.id < before)
        query = query.order_by(Message.id.desc())
    messages = list((await session.execute(query.limit(limit + 1))).scalars())
    more = len(messages) > limit
    messages = messages[:limit]
    sender_ids = {m.sender_id for m in messages if m.sender_id}
    names = await display_names(session, sender_ids)
    flagged: set[int] = set()
    if actor.role is not Role.young_person and messages:
        flagged = set(
            (
                await session.execute(
                    select(SafeguardingFlag.message_id).where(
                        SafeguardingFlag.message_id.in_([m.id for m in messages])
                    )
                )
            ).scalars()
        )
    items = [message_read(m, names, actor, flagged) for m in messages]
    return MessagePage(
        items=items,
        next_cursor=messages[-1].id if more and messages else None,
        unread=await receipts.unread(
            session, actor.user.id, person.id, young_person=actor.role is Role.young_person
        ),
        read_up_to=await receipts.read_up_to(session, actor, person),
    )
