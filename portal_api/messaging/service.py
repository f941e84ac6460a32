"""The conversation: sending (exactly once per Idempotency-Key), who is told, reading, read
receipts, hiding and flagging. Who a young person can reach is in ``reach``, staff absence and
cover in ``availability``, check-ins in ``check_ins``, push endpoints in ``push``."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.db.base import utcnow
from portal_api.db.session import after_commit, insert_ignoring_duplicates
from portal_api.errors import InvalidInput, NotFound
from portal_api.messaging import hours, receipts
from portal_api.messaging.events import EventBroker
from portal_api.messaging.reach import reach_now, who_answers
from portal_api.messaging.schemas import (
    MessageCreate,
    MessagePage,
    MessageRead,
    SendResult,
    StaffMessageRead,
)
from portal_api.models import (
    Availability,
    CheckInRhythm,
    Message,
    MessageKind,
    Mood,
    Organisation,
    ReadMark,
    Role,
    SafeguardingFlag,
    TeamMembership,
    User,
    YoungPerson,
)
from portal_api.notifications import coalesce, outbox
from portal_api.people import scope


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def summary_columns(user_id: uuid.UUID | Any) -> dict[str, Any]:
    """Correlated columns for the home-screen query (``user_id`` a value or a bound parameter):
    unread count for this reader, the PA's
    away-until and cover, the check-in rhythm and the last check-in. The query joins the PA only
    while they can answer (``people.scope.answers_as_adviser``). Keyed by the label each is read by."""
    last_read = (
        select(ReadMark.last_read_id)
        .where(ReadMark.young_person_id == YoungPerson.id, ReadMark.user_id == user_id)
        .scalar_subquery()
    )
    unread_count = (
        select(func.count())
        .select_from(Message)
        .where(
            Message.young_person_id == YoungPerson.id,
            Message.id > func.coalesce(last_read, 0),
            (Message.sender_id != user_id) | Message.sender_id.is_(None),
            Message.hidden_at.is_(None),
        )
        .scalar_subquery()
    )
    away_until = (
        select(Availability.away_until)
        .where(Availability.user_id == YoungPerson.personal_adviser_id)
        .scalar_subquery()
    )
    # As in who_answers: a cover who cannot answer for this young person is nobody.
    cover = aliased(User)
    cover_name, cover_phone = (
        select(column)
        .join(Availability, Availability.cover_id == cover.id)
        .where(
            Availability.user_id == YoungPerson.personal_adviser_id,
            scope.answers_for(cover, YoungPerson.team_id),
        )
        .scalar_subquery()
        for column in (cover.display_name, cover.phone)
    )
    every_days, rhythm_set_at = (
        select(column).where(CheckInRhythm.young_person_id == YoungPerson.id).scalar_subquery()
        for column in (CheckInRhythm.every_days, CheckInRhythm.set_at)
    )
    last_check_in = (
        select(func.max(Message.created_at))
        .where(Message.young_person_id == YoungPerson.id, Message.kind == MessageKind.check_in)
        .scalar_subquery()
    )
    return {
        "unread": unread_count,
        "away_until": away_until,
        "cover_name": cover_name,
        "cover_phone": cover_phone,
        "check_in_every_days": every_days,
        "check_in_rhythm_set_at": rhythm_set_at,
        "last_check_in": last_check_in,
    }


# --- reading ------------------------------------------------------------------------------------


def _read(
    message: Message, names: dict[uuid.UUID, str], actor: Actor, flagged: set[int]
) -> MessageRead:
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


async def unread(
    session: AsyncSession, user_id: uuid.UUID, young_person_id: uuid.UUID, *, young_person: bool
) -> int:
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
    names = (
        dict(
            (
                await session.execute(
                    select(User.id, User.display_name).where(User.id.in_(sender_ids))
                )
            ).all()
        )
        if sender_ids
        else {}
    )
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
    items = [_read(m, names, actor, flagged) for m in messages]
    return MessagePage(
        items=items,
        next_cursor=messages[-1].id if more and messages else None,
        unread=await unread(
            session, actor.user.id, person.id, young_person=actor.role is Role.young_person
        ),
        read_up_to=await receipts.read_up_to(session, actor, person),
    )


# --- sending ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Live:
    """Where news of a change goes once it is committed: phones and consoles, and the worker;
    and how long a conversation left unread waits before its next "new message" notice."""

    broker: EventBroker
    wake: asyncio.Event
    notice_quiet: timedelta = timedelta(minutes=15)


def _publish_later(
    session: AsyncSession, live: Live, event: dict[str, Any], org_id: uuid.UUID
) -> None:
    async def publish() -> None:
        await live.broker.publish(org_id, event)
        live.wake.set()

    after_commit(session, publish)


async def _recipients(
    session: AsyncSession, person: YoungPerson, sender: User
) -> tuple[list[User], bool]:
    """Who is told about a new message, and whether it went to the duty queue instead of the PA."""
    if sender.role is not Role.young_person:
        account = await session.scalar(select(User).where(User.young_person_id == person.id))
        return ([account] if account and account.is_active else []), False
    org = await session.get(Organisation, person.org_id)
    assert org is not None
    now = utcnow()
    pa, away, cover = await who_answers(session, person, now)
    open_now = hours.in_office_hours(now, org.office_opens, org.office_closes)
    # Outside office hours nobody is at their desk: the duty queue holds it, whoever is told.
    if away is not None:
        told = [cover] if cover else []
        duty = cover is None or not open_now
    else:
        told = [pa] if pa else []
        duty = pa is None or not open_now
    if not told:
        # Nobody of their own to tell: the team's managers are, so a message is never unseen.
        told = await _team_managers(session, person)
    return told, duty


async def tell_staff(
    session: AsyncSession, person: YoungPerson, sender: User, template: str, *, urgent: bool
) -> None:
    """Something a young person did that staff must see (a concern about where they live) reaches
    whoever a message from them would reach: their PA, a colleague covering, or the team's
    managers. The note itself is in the conversation; this only makes sure someone looks."""
    if sender.role is not Role.young_person:
        return
    recipients, _ = await _recipients(session, person, sender)
    for recipient in recipients:
        await outbox.enqueue(session, recipient, template, young_person_id=person.id, urgent=urgent)


async def _team_managers(session: AsyncSession, person: YoungPerson) -> list[User]:
    rows = await session.execute(
        select(User)
        .join(TeamMembership, TeamMembership.user_id == User.id)
        .where(
            TeamMembership.team_id == person.team_id,
            User.role == Role.manager,
            User.is_active.is_(True),
        )
    )
    return list(rows.scalars())


async def send(
    session: AsyncSession,
    actor: Actor,
    person: YoungPerson,
    idempotency_key: str,
    data: MessageCreate,
    *,
    live: Live,
    kind: MessageKind = MessageKind.text,
    mood: Mood | None = None,
) -> tuple[SendResult, bool]:
    """Store a message once per (sender, key). Returns the result and whether it is a replay."""
    # The key names one message: to one conversation, with this text.
    digest = body_hash(f"{person.id}:{kind}:{mood}:{data.body}")
    existing = await _by_key(session, actor.user.id, idempotency_key)
    if existing is None:
        recipients, duty = await _recipients(session, person, actor.user)
        # Insert-or-ignore: two copies of one retry racing on two workers store one message.
        inserted = await insert_ignoring_duplicates(
            session,
            Message,
            {
                "org_id": person.org_id,
                "young_person_id": person.id,
                "sender_id": actor.user.id,
                "sender_role": actor.role.value,
                "kind": kind,
                "body": data.body,
                "mood": mood,
                "idempotency_key": idempotency_key,
                "body_hash": digest,
                "created_at": utcnow(),
                "to_duty_queue": duty,
            },
        )
        message = await _by_key(session, actor.user.id, idempotency_key)
        assert message is not None
        if inserted:
            urgent = mood is Mood.need_help_now
            for recipient in recipients:
                # One notice per conversation until it is read or goes quiet (coalesce.py).
                if not await coalesce.claim_notice(
                    session,
                    young_person_id=person.id,
                    user_id=recipient.id,
                    message_id=message.id,
                    quiet=live.notice_quiet,
                    urgent=urgent,
                ):
                    continue
                template = (
                    "need_help_now"
                    if mood is Mood.need_help_now
                    else "new_message_for_young_person"
                    if recipient.role is Role.young_person
                    else "new_message_for_staff"
                )
                await outbox.enqueue(
                    session,
                    recipient,
                    template,
                    young_person_id=person.id,
                    urgent=urgent,
                )
            _publish_later(
                session,
                live,
                {"type": "message", "young_person_id": str(person.id), "message_id": message.id},
                person.org_id,
            )
            if actor.user.is_staff:
                audit.record(session, actor, "message.send", young_person_id=person.id)
        replay = False
    else:
        message, replay = existing, True
    if message.body_hash != digest:
        raise InvalidInput(
            "header.Idempotency-Key",
            "was already used for a different message; make a new key for a new message",
        )
    org = await session.get(Organisation, person.org_id)
    assert org is not None
    names = {actor.user.id: actor.user.display_name}
    now = utcnow()
    out_of_hours = not hours.in_office_hours(now, org.office_opens, org.office_closes)
    reach = await reach_now(session, person, org)
    return (
        SendResult(
            message=_read(message, names, actor, set()),
            delivered_to=reach.message if actor.role is Role.young_person else "the young person",
            out_of_hours=out_of_hours,
            emergency_phone=org.out_of_hours_phone if actor.role is Role.young_person else None,
            reach_now=reach if actor.role is Role.young_person else None,
        ),
        replay,
    )


async def already_sent(session: AsyncSession, sender_id: uuid.UUID, key: str) -> bool:
    """This Idempotency-Key names a message already stored: a retry, never counted or refused."""
    return await _by_key(session, sender_id, key) is not None


async def _by_key(session: AsyncSession, sender_id: uuid.UUID, key: str) -> Message | None:
    found: Message | None = await session.scalar(
        select(Message).where(Message.sender_id == sender_id, Message.idempotency_key == key)
    )
    return found


async def system_message(session: AsyncSession, person: YoungPerson, body: str) -> None:
    """A note in the conversation from the portal itself ("Amira asked for help with ...")."""
    session.add(
        Message(
            org_id=person.org_id,
            young_person_id=person.id,
            sender_role="system",
            kind=MessageKind.system,
            body=body,
        )
    )


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
    _publish_later(
        session,
        live,
        receipts.read_event(actor, person, up_to),
        person.org_id,
    )
    return await unread(
        session, actor.user.id, person.id, young_person=actor.role is Role.young_person
    )


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
