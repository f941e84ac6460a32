"""What staff read across conversations: the duty queue, safeguarding flags, notifications that
failed, and which conversations an event stream may carry. Each starts from ``people.scope``."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.messaging.schemas import FailedNotification, FlagRead
from portal_api.models import (
    Message,
    MessageKind,
    NotificationOutbox,
    OutboxStatus,
    Role,
    SafeguardingFlag,
    User,
    YoungPerson,
)
from portal_api.people.scope import Access, audit_reads, visible


async def duty_queue(session: AsyncSession, actor: Actor) -> list[uuid.UUID]:
    """Young people whose latest message (system notes aside) is theirs, sent to the duty queue:
    nobody on staff has replied since. One row per young person, found by the database."""
    latest = (
        select(func.max(Message.id).label("id"))
        .join(YoungPerson, YoungPerson.id == Message.young_person_id)
        .where(visible(actor, Access.read), Message.kind != MessageKind.system)
        .group_by(Message.young_person_id)
        .subquery()
    )
    rows = await session.scalars(
        select(Message.young_person_id)
        .join(latest, latest.c.id == Message.id)
        .where(Message.to_duty_queue.is_(True), Message.sender_role == Role.young_person.value)
        .order_by(Message.young_person_id)
    )
    return list(rows)


async def flagged_messages(session: AsyncSession, actor: Actor) -> list[FlagRead]:
    """Safeguarding flags on the messages of young people the actor may see, newest first."""
    rows = await session.execute(
        select(SafeguardingFlag, Message.body, YoungPerson, User.display_name)
        .join(Message, Message.id == SafeguardingFlag.message_id)
        .join(YoungPerson, YoungPerson.id == SafeguardingFlag.young_person_id)
        .join(User, User.id == SafeguardingFlag.flagged_by_id)
        .where(visible(actor, Access.read))
        .order_by(SafeguardingFlag.created_at.desc())
        .limit(500)
    )
    flags = [
        FlagRead(
            id=f.id,
            message_id=f.message_id,
            young_person_id=person.id,
            young_person_name=person.full_name,
            flagged_by=name,
            reason=f.reason,
            created_at=f.created_at,
            message_body=body,
        )
        for f, body, person, name in rows.all()
    ]
    audit.record(session, actor, "messages.flagged.read", count=len(flags))
    # Each young person's log says their messages were read, never that one was flagged.
    await audit_reads(session, actor, (f.young_person_id for f in flags), "messages.read")
    return flags


async def failed_notifications(session: AsyncSession, actor: Actor) -> list[FailedNotification]:
    """Notifications that failed after every retry, for young people the actor may see."""
    rows = await session.execute(
        select(NotificationOutbox, User.display_name)
        .join(User, User.id == NotificationOutbox.user_id)
        .join(YoungPerson, YoungPerson.id == NotificationOutbox.young_person_id)
        .where(NotificationOutbox.status == OutboxStatus.failed, visible(actor, Access.read))
        .order_by(NotificationOutbox.created_at.desc())
        .limit(200)
    )
    return [
        FailedNotification(
            id=row.id,
            young_person_id=row.young_person_id,
            recipient=name,
            channel=row.channel,
            template=row.template,
            attempts=row.attempts,
            last_error=row.last_error,
            created_at=row.created_at,
        )
        for row, name in rows.all()
    ]


async def visible_young_person_ids(session: AsyncSession, actor: Actor) -> set[str]:
    """The young people whose conversations the actor may follow live."""
    rows = await session.scalars(select(YoungPerson.id).where(visible(actor, Access.read)))
    return {str(i) for i in rows}
