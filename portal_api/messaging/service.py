"""The conversation: sending (exactly once per Idempotency-Key), reading, read receipts, hiding
and flagging, check-ins, and who a young person can reach right now."""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.common.time import LONDON, today
from portal_api.db.base import utcnow
from portal_api.db.session import after_commit, insert_ignoring_duplicates
from portal_api.errors import Forbidden, InvalidInput, NotFound
from portal_api.messaging import hours, receipts
from portal_api.messaging.events import EventBroker
from portal_api.messaging.schemas import (
    AvailabilitySet,
    CheckInCreate,
    MessageCreate,
    MessagePage,
    MessageRead,
    PushSubscriptionIn,
    ReachNow,
    ReachParams,
    SendResult,
    StaffMessageRead,
)
from portal_api.models import (
    CASEWORK_ROLES,
    Availability,
    CheckInRhythm,
    Contact,
    ContactKind,
    Message,
    MessageKind,
    Mood,
    Organisation,
    PushSubscription,
    ReadMark,
    Role,
    SafeguardingFlag,
    TeamMembership,
    User,
    YoungPerson,
    teams_of,
)
from portal_api.notifications import outbox
from portal_api.people import scope

MOOD_WORDS = {
    Mood.good: "I'm doing well",
    Mood.some_help: "I could use some help",
    Mood.need_help_now: "I need help now",
}


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


# --- who can be reached now ---------------------------------------------------------------------


async def _away(
    session: AsyncSession, user_id: uuid.UUID | None, now: datetime
) -> Availability | None:
    if user_id is None:
        return None
    availability = await session.get(Availability, user_id)
    if availability and availability.away_until and availability.away_until > now:
        return availability
    return None


@dataclass(frozen=True)
class Office:
    name: str
    office_phone: str | None
    out_of_hours_phone: str | None
    opens: str
    closes: str


@dataclass(frozen=True)
class Person:
    name: str
    phone: str | None


def reach_from(
    office: Office,
    pa: Person | None,
    away_until: datetime | None,
    cover: Person | None,
    now: datetime,
) -> ReachNow:
    """Who a young person can reach right now, and how, in plain words."""
    emergency = office.out_of_hours_phone
    if not hours.in_office_hours(now, office.opens, office.closes):
        opens = hours.next_opening(now, office.opens, office.closes)
        return ReachNow(
            who="out_of_hours",
            name="Emergency duty team",
            phone=emergency,
            code="out_of_hours",
            params=ReachParams(
                name=None,
                pa_name=pa.name if pa else None,
                until=None,
                phone=emergency,
                opens_at=opens,
            ),
            message=(
                "The office is closed. In an emergency, call the emergency duty team. "
                f"Your PA will reply from {opens:%A %-d %B at %H:%M}."
            ),
            in_office_hours=False,
            emergency_phone=emergency,
        )
    away = away_until is not None and away_until > now
    if pa is not None and not away:
        return ReachNow(
            who="personal_adviser",
            name=pa.name,
            phone=pa.phone or office.office_phone,
            code="pa_in_hours",
            params=ReachParams(
                name=pa.name,
                pa_name=pa.name,
                until=None,
                phone=pa.phone or office.office_phone,
                opens_at=None,
            ),
            message=f"{pa.name} is your PA. Message or call them.",
            in_office_hours=True,
            emergency_phone=emergency,
        )
    back = f" until {away_until.astimezone(LONDON):%A %-d %B}" if away and away_until else ""
    if cover is not None and pa is not None:
        return ReachNow(
            who="cover",
            name=cover.name,
            phone=cover.phone or office.office_phone,
            code="cover_in_hours",
            params=ReachParams(
                name=cover.name,
                pa_name=pa.name,
                until=away_until if away else None,
                phone=cover.phone or office.office_phone,
                opens_at=None,
            ),
            message=f"{pa.name} is away{back}. {cover.name} is covering.",
            in_office_hours=True,
            emergency_phone=emergency,
        )
    return ReachNow(
        who="duty_team",
        name="Duty team",
        phone=office.office_phone,
        code="duty_team",
        params=ReachParams(
            name=None,
            pa_name=pa.name if pa else None,
            until=away_until if away else None,
            phone=office.office_phone,
            opens_at=None,
        ),
        message=(f"{pa.name} is away{back}. " if pa else "")
        + "The duty team will answer your messages.",
        in_office_hours=True,
        emergency_phone=emergency,
    )


def office_of(org: Organisation) -> Office:
    return Office(
        org.name, org.office_phone, org.out_of_hours_phone, org.office_opens, org.office_closes
    )


async def _who_answers(
    session: AsyncSession, person: YoungPerson, now: datetime
) -> tuple[User | None, Availability | None, User | None]:
    """The young person's PA, their absence, and who covers, each counting only if they can answer:
    a PA or cover who is disabled, no longer does casework or cannot read the record is nobody,
    so the message goes to the duty queue and the team's managers instead of into a void."""
    pa = await session.get(User, person.personal_adviser_id) if person.personal_adviser_id else None
    if not await scope.can_answer_for(session, pa, person):
        return None, None, None
    assert pa is not None
    away = await _away(session, pa.id, now)
    cover = await session.get(User, away.cover_id) if away and away.cover_id else None
    if cover is not None and not await scope.can_answer_for(session, cover, person):
        cover = None
    return pa, away, cover


async def reach_now(session: AsyncSession, person: YoungPerson, org: Organisation) -> ReachNow:
    now = utcnow()
    pa, away, cover = await _who_answers(session, person, now)
    return reach_from(
        office_of(org),
        Person(pa.display_name, pa.phone) if pa else None,
        away.away_until if away else None,
        Person(cover.display_name, cover.phone) if cover else None,
        now,
    )


async def check_cover(session: AsyncSession, actor: Actor, cover_id: uuid.UUID) -> None:
    """A colleague covering an absence must be able to answer every young person of the absent
    PA's caseload: active, a PA or manager, and able to read each record."""
    cover = await session.get(User, cover_id)
    if cover is None or cover.org_id != actor.user.org_id or not cover.is_staff:
        raise InvalidInput("cover_id", "no such colleague in your organisation")
    if cover.id == actor.user.id:
        raise InvalidInput("cover_id", "choose a colleague, not yourself")
    if not cover.is_active or cover.role not in CASEWORK_ROLES:
        raise InvalidInput(
            "cover_id", f"{cover.display_name} cannot cover: choose an active PA or manager"
        )
    caseload = (
        await session.execute(
            select(YoungPerson).where(
                YoungPerson.personal_adviser_id == actor.user.id, YoungPerson.closed_on.is_(None)
            )
        )
    ).scalars()
    cover_teams = await teams_of(session, cover.id)
    if any(not scope.reads_team(cover, cover_teams, p.team_id) for p in caseload):
        raise InvalidInput(
            "cover_id",
            f"{cover.display_name} cannot see all of your young people; "
            "choose a colleague in their team",
        )


def summary_columns(user_id: uuid.UUID) -> tuple[Any, ...]:
    """Correlated columns for the home-screen query: unread count for this reader, the PA's
    away-until and cover, the check-in rhythm and the last check-in. The query joins the PA only
    while they can answer (``people.scope.answers_as_adviser``)."""
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
    # As in _who_answers: a cover who cannot answer for this young person is nobody.
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
    return (
        unread_count,
        away_until,
        cover_name,
        cover_phone,
        every_days,
        rhythm_set_at,
        last_check_in,
    )


def check_in_is_due(
    every_days: int | None, set_at: datetime | None, last_check_in: datetime | None, now: datetime
) -> bool:
    if every_days is None or set_at is None:
        return False
    return now - (last_check_in or set_at) >= timedelta(days=every_days)


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
    """Where news of a change goes once it is committed: phones and consoles, and the worker."""

    broker: EventBroker
    wake: asyncio.Event


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
    pa, away, cover = await _who_answers(session, person, now)
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
            for recipient in recipients:
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
                    urgent=mood is Mood.need_help_now,
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


# --- push subscriptions ----------------------------------------------------------------------


def check_push_endpoint(endpoint: str, allowed_hosts: Sequence[str]) -> None:
    """A push endpoint is an https URL at one of the browsers' push services, by name: never an
    address literal, a port of its own or credentials, which could point the worker anywhere."""
    field = "body.endpoint"
    try:
        url = urlsplit(endpoint)
        port = url.port
    except ValueError:
        raise InvalidInput(field, "is not a URL") from None
    host = (url.hostname or "").rstrip(".").lower()
    if url.scheme != "https" or not host:
        raise InvalidInput(field, "must be an https URL from the browser's push service")
    if url.username is not None or url.password is not None or port not in (None, 443):
        raise InvalidInput(field, "must not carry credentials or a port of its own")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        raise InvalidInput(field, "must name a push service, not an address")
    if not any(_host_matches(host, allowed.lower()) for allowed in allowed_hosts):
        raise InvalidInput(field, f"{host} is not a browser push service this portal sends to")


def _host_matches(host: str, allowed: str) -> bool:
    if allowed.startswith("*."):
        return host.endswith(allowed[1:])  # any subdomain, not the bare domain
    return host == allowed


# --- check-ins ----------------------------------------------------------------------------------


async def check_in(
    session: AsyncSession,
    actor: Actor,
    person: YoungPerson,
    data: CheckInCreate,
    key: str,
    *,
    live: Live,
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


async def set_availability(session: AsyncSession, actor: Actor, body: AvailabilitySet) -> None:
    """Away until a time, with a colleague covering: their young people see who to contact."""
    if body.away_until is not None and body.away_until.tzinfo is None:
        raise InvalidInput("away_until", "give a time zone, e.g. 2026-12-01T09:00:00Z")
    if body.cover_id is not None:
        await check_cover(session, actor, body.cover_id)
    availability = await session.get(Availability, actor.user.id)
    if availability is None:
        availability = Availability(user_id=actor.user.id)
        session.add(availability)
    availability.away_until, availability.cover_id = body.away_until, body.cover_id
    availability.note, availability.updated_at = body.note, utcnow()


async def add_push_subscription(
    session: AsyncSession,
    actor: Actor,
    body: PushSubscriptionIn,
    allowed_hosts: Sequence[str],
    *,
    session_token_hash: str | None = None,
) -> None:
    """Remember this browser's push endpoint for the actor (once; never another account's),
    tied to the session that asked: signing that session out stops the notices. The endpoint
    must be at a browser push service (the portal's allow-list)."""
    check_push_endpoint(body.endpoint, allowed_hosts)
    existing = await session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint == body.endpoint)
    )
    if existing is not None and existing.user_id != actor.user.id:
        raise Forbidden("That push subscription belongs to another account; subscribe again.")
    if existing is None:
        session.add(
            PushSubscription(
                user_id=actor.user.id, access_token_hash=session_token_hash, **body.model_dump()
            )
        )
    else:
        # The same phone signed in again: it now belongs to the new session, with fresh keys.
        existing.access_token_hash = session_token_hash
        existing.p256dh, existing.auth = body.p256dh, body.auth
