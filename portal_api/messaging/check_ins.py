"""Check-ins: one tap on how a young person is doing, which shows in the conversation, counts as a
contact and alerts their PA; the rhythm a PA asks for and whether one is due."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.common.time import today
from portal_api.db.base import utcnow
from portal_api.messaging.events import Live
from portal_api.messaging.schemas import CheckInCreate, MessageCreate, SendResult
from portal_api.messaging.service import send
from portal_api.models import (
    CheckInRhythm,
    Contact,
    ContactKind,
    Message,
    MessageKind,
    Mood,
    Organisation,
    YoungPerson,
)

MOOD_WORDS = {
    Mood.good: "I'm doing well",
    Mood.some_help: "I could use some help",
    Mood.need_help_now: "I need help now",
}


def check_in_due_at(
    every_days: int | None, set_at: datetime | None, last_check_in: datetime | None
) -> datetime | None:
    """When the next check-in falls due (None: no rhythm is set)."""
    if every_days is None or set_at is None:
        return None
    return (last_check_in or set_at) + timedelta(days=every_days)


def check_in_is_due(
    every_days: int | None, set_at: datetime | None, last_check_in: datetime | None, now: datetime
) -> bool:
    due_at = check_in_due_at(every_days, set_at, last_check_in)
    return due_at is not None and now >= due_at


# --- check-ins ----------------------------------------------------------------------------------


async def check_in(
    session: AsyncSession,
    actor: Actor,
    person: YoungPerson,
    data: CheckInCreate,
    key: str,
    *,
    live: Live,
    count: Callable[[], Awaitable[None]] | None = None,
) -> tuple[SendResult, bool]:
    """One tap: shows in the conversation, counts as a contact, alerts the PA (at once for
    "need help now", when the young person also sees the emergency number)."""
    words = MOOD_WORDS[data.mood] + (f": {data.note}" if data.note else "")
    result, replay = await send(
        session,
        actor,
        person,
        key,
        MessageCreate(body=words),
        live=live,
        kind=MessageKind.check_in,
        mood=data.mood,
        count=count,
    )
    if not replay:
        session.add(
            Contact(young_person_id=person.id, contact_on=today(), kind=ContactKind.check_in)
        )
    if data.mood is Mood.need_help_now:
        org = await session.get(Organisation, person.org_id)
        result.emergency_phone = org.out_of_hours_phone if org else None
    return result, replay


async def set_rhythm(
    session: AsyncSession, actor: Actor, person: YoungPerson, every_days: int | None
) -> None:
    rhythm = await session.get(CheckInRhythm, person.id)
    if every_days is None:
        if rhythm is not None:
            await session.delete(rhythm)
    elif rhythm is None:
        session.add(
            CheckInRhythm(young_person_id=person.id, every_days=every_days, set_by_id=actor.user.id)
        )
    else:
        rhythm.every_days, rhythm.set_by_id, rhythm.set_at = every_days, actor.user.id, utcnow()
    audit.record(
        session, actor, "check_in_rhythm.set", young_person_id=person.id, every_days=every_days
    )


async def check_in_due(session: AsyncSession, person: YoungPerson) -> bool:
    rhythm = await session.get(CheckInRhythm, person.id)
    if rhythm is None:
        return False
    last = await session.scalar(
        select(func.max(Message.created_at)).where(
            Message.young_person_id == person.id, Message.kind == MessageKind.check_in
        )
    )
    return check_in_is_due(rhythm.every_days, rhythm.set_at, last, utcnow())
