"""Sending in the conversation (exactly once per Idempotency-Key) and who is told; notes from the
portal itself; the home screen's messaging columns. Reading a conversation is in ``reading``,
read marks in ``receipts``, hiding and flagging in ``hide_and_flag``, who a young person can
reach in ``reach``, staff absence and cover in ``availability``, check-ins in ``check_ins``, push
endpoints in ``push``."""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.db.base import utcnow
from portal_api.db.session import dialect_insert
from portal_api.errors import InvalidInput
from portal_api.messaging import hours
from portal_api.messaging.events import Live, publish_later
from portal_api.messaging.reach import Answers, org_and_who_answers, reach_now
from portal_api.messaging.reading import message_read
from portal_api.messaging.schemas import MessageCreate, SendResult
from portal_api.models import (
    Availability,
    CheckInRhythm,
    Message,
    MessageKind,
    Mood,
    Organisation,
    ReadMark,
    Role,
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


# --- sending ------------------------------------------------------------------------------------


async def _recipients(
    session: AsyncSession, person: YoungPerson, sender: User
) -> tuple[list[User], bool, Answers | None, Organisation | None]:
    """Who is told about a new message, whether it went to the duty queue instead of the PA, and
    for a young person's message who answers them now (``who_answers``, for the reply's reach)
    and their organisation, both from one query."""
    if sender.role is not Role.young_person:
        account = await session.scalar(_account_select(), {"young_person_id": person.id})
        return ([account] if account and account.is_active else []), False, None, None
    now = utcnow()
    org, answers = await org_and_who_answers(session, person, now)
    pa, away, cover = answers
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
    return told, duty, answers, org


@functools.cache
def _account_select() -> Select[User]:
    """A young person's own account, built once (``:young_person_id``)."""
    return select(User).where(User.young_person_id == bindparam("young_person_id"))


async def tell_staff(
    session: AsyncSession, person: YoungPerson, sender: User, template: str, *, urgent: bool
) -> None:
    """Something a young person did that staff must see (a concern about where they live) reaches
    whoever a message from them would reach: their PA, a colleague covering, or the team's
    managers. The note itself is in the conversation; this only makes sure someone looks."""
    if sender.role is not Role.young_person:
        return
    recipients, _, _, _ = await _recipients(session, person, sender)
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
    count: Callable[[], Awaitable[None]] | None = None,
) -> tuple[SendResult, bool]:
    """Store a message once per (sender, key). Returns the result and whether it is a replay.

    ``count``: the send limit (``auth/send_limit.py``), spent only once this call has stored a
    new message, before anything else is written: a retry of a message already stored is never
    counted or refused, and a refusal (429) raises, so the request's transaction rolls the
    message back and nothing of the refused attempt is kept."""
    # The key names one message: to one conversation, with this text.
    digest = body_hash(f"{person.id}:{kind}:{mood}:{data.body}")
    recipients, duty, answers, org = await _recipients(session, person, actor.user)
    # Insert-or-ignore, no lookup first: a retry, or two copies of one retry racing on two
    # workers, store one message; the copy that finds the key taken reads the stored one back.
    stored = (
        await session.execute(
            _insert_returning(session.get_bind().dialect.name),
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
    ).first()
    replay = stored is None
    # The stored message's columns either way: the new row, or (a replay) the one under the key.
    message: Any = (
        stored
        or (
            await session.execute(
                _by_key_select(), {"sender_id": actor.user.id, "key": idempotency_key}
            )
        ).first()
    )
    assert message is not None
    if message.body_hash != digest:
        raise InvalidInput(
            "header.Idempotency-Key",
            "was already used for a different message; make a new key for a new message",
        )
    if not replay:
        if count is not None:
            await count()
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
        publish_later(
            session,
            live,
            {"type": "message", "young_person_id": str(person.id), "message_id": message.id},
            person.org_id,
        )
        if actor.user.is_staff:
            audit.record(session, actor, "message.send", young_person_id=person.id)
    if org is None:
        org = await session.get(Organisation, person.org_id)
        assert org is not None
    names = {actor.user.id: actor.user.display_name}
    now = utcnow()
    out_of_hours = not hours.in_office_hours(now, org.office_opens, org.office_closes)
    young_person = actor.role is Role.young_person
    reach = await reach_now(session, person, org, answers) if young_person else None
    return (
        SendResult(
            message=message_read(message, names, actor, set()),
            delivered_to=reach.message if reach is not None else "the young person",
            out_of_hours=out_of_hours,
            emergency_phone=org.out_of_hours_phone if young_person else None,
            reach_now=reach,
        ),
        replay,
    )


@functools.cache
def _insert_returning(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING RETURNING the new message's columns (Core, no ORM object),
    or no row when the key was taken (a retry, or a racing copy stored first). Built once per
    dialect, every value a bound parameter, so the compiled cache serves it as it is."""
    table: Any = Message.__table__
    values = {name: bindparam(name, type_=table.c[name].type) for name in _INSERTED}
    return (
        dialect_insert(dialect, table).values(values).on_conflict_do_nothing().returning(*table.c)
    )


_INSERTED = (
    "org_id",
    "young_person_id",
    "sender_id",
    "sender_role",
    "kind",
    "body",
    "mood",
    "idempotency_key",
    "body_hash",
    "created_at",
    "to_duty_queue",
)


@functools.cache
def _by_key_select() -> Any:
    """The message stored under a sender's key, as the same columns the insert returns."""
    table: Any = Message.__table__
    return select(*table.c).where(
        table.c.sender_id == bindparam("sender_id"),
        table.c.idempotency_key == bindparam("key"),
    )


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
