"""Hiding a message from the young person's view and flagging it for safeguarding: staff acts on
one message, each audited. Nothing here deletes a message; the list of flags is in ``queries``."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.db.base import utcnow
from portal_api.errors import NotFound
from portal_api.models import Message, SafeguardingFlag, YoungPerson


async def _message(session: AsyncSession, person: YoungPerson, message_id: int) -> Message:
    message = await session.get(Message, message_id)
    if message is None or message.young_person_id != person.id:
        raise NotFound("No such message in this conversation.")
    return message


async def hide(
    session: AsyncSession, actor: Actor, person: YoungPerson, message_id: int, reason: str
) -> None:
    """Hidden from the young person's view, never deleted: the record keeps it, and why."""
    message = await _message(session, person, message_id)
    if message.hidden_at is None:
        message.hidden_at, message.hidden_by_id, message.hidden_reason = (
            utcnow(),
            actor.user.id,
            reason,
        )
    audit.record(session, actor, "message.hide", young_person_id=person.id, message_id=message_id)


async def flag(
    session: AsyncSession, actor: Actor, person: YoungPerson, message_id: int, reason: str
) -> None:
    await _message(session, person, message_id)
    session.add(
        SafeguardingFlag(
            message_id=message_id,
            young_person_id=person.id,
            flagged_by_id=actor.user.id,
            reason=reason,
        )
    )
    audit.record(session, actor, "message.flag", young_person_id=person.id, message_id=message_id)
