"""The notification outbox: rows written in the same transaction as what caused them, delivered
after commit by the worker with retries and backoff. A failed send never fails the request that
caused it; after the last try the row is ``failed`` and staff can see it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import datetime, time, timedelta
from typing import Literal, get_args

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.common.time import LONDON
from portal_api.db.base import utcnow
from portal_api.models import (
    NotificationOutbox,
    Organisation,
    OutboxStatus,
    PushSubscription,
    Role,
    User,
    YoungPerson,
)
from portal_api.notifications.notifier import (
    FALLBACK,
    SECRET_LINK,
    Delivery,
    Notifier,
    NotifierError,
    personalisation_for,
    text_for,
)

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
FIRST_RETRY_SECONDS = 30


Channel = Literal["push", "sms", "email"]
CHANNELS: tuple[Channel, ...] = get_args(Channel)
# Before a young person chooses: the phone if it has subscribed, otherwise SMS.
DEFAULT_NOTIFY_BY: tuple[Channel, ...] = ("push", "sms")


def chosen_channels(person: YoungPerson) -> list[Channel]:
    """The ways to tell this young person, in their order (the default until they choose)."""
    if person.notify_by is None:
        return list(DEFAULT_NOTIFY_BY)
    known = {c: c for c in CHANNELS}
    return [known[c] for c in person.notify_by if c in known]


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def after_quiet_hours(moment: datetime, quiet_from: str, quiet_until: str) -> datetime:
    """When a notice to a young person may buzz their phone: ``moment`` itself outside the
    council's quiet hours (children's code: no buzzing phones at night), otherwise their end.
    Quiet hours may run over midnight (21:00 to 08:00) or within a day (13:00 to 14:00)."""
    local = moment.astimezone(LONDON)
    start, end, now = _clock(quiet_from), _clock(quiet_until), local.time()
    overnight = start > end
    quiet = (now >= start or now < end) if overnight else start <= now < end
    if not quiet:
        return moment
    day = local.date() + timedelta(days=1) if overnight and now >= start else local.date()
    return datetime.combine(day, end, tzinfo=LONDON)


async def _has_push(session: AsyncSession, user_id: uuid.UUID) -> bool:
    return bool(
        await session.scalar(
            select(PushSubscription.id).where(PushSubscription.user_id == user_id).limit(1)
        )
    )


async def young_person_channels(
    session: AsyncSession, recipient: User, person: YoungPerson | None
) -> list[Channel]:
    """The ways the young person chose, in their order, that can reach them now."""
    if person is None:
        return []
    can = {
        "push": await _has_push(session, recipient.id),
        "sms": bool(person.mobile or recipient.mobile),
        "email": bool(recipient.email or person.email),
    }
    return [c for c in chosen_channels(person) if can[c]]


async def enqueue(
    session: AsyncSession,
    recipient: User,
    template: str,
    *,
    young_person_id: uuid.UUID | None,
    urgent: bool = False,
) -> None:
    """Rows for the channels that should carry this notification.

    A young person is told the first way they chose that can reach them (by default push if a
    phone of theirs subscribed, otherwise SMS); if that is push and no phone takes it, the next
    way is tried (``deliver_one``). Something urgent goes every way they chose at once.

    Staff are told by push if subscribed and by email; an urgent alert ("need help now", an
    urgent concern) also goes by SMS to their mobile, push or no push: a push notification is
    easily missed, and a young person asking for help must not be."""
    rows: list[tuple[Channel, list[Channel]]] = []
    if recipient.role is Role.young_person:
        person = (
            await session.get(YoungPerson, recipient.young_person_id)
            if recipient.young_person_id
            else None
        )
        ways = await young_person_channels(session, recipient, person)
        if urgent:
            rows = [(c, []) for c in ways]
        elif ways:
            then: list[Channel] = ways[1:2] if ways[0] == "push" else []
            rows = [(ways[0], then)]
    else:
        if await _has_push(session, recipient.id):
            rows.append(("push", []))
        rows.append(("email", []))
        if urgent and recipient.mobile:
            rows.append(("sms", []))
    now = utcnow()
    due = now
    if not urgent and recipient.role is Role.young_person:
        org = await session.get(Organisation, recipient.org_id)
        if org is not None:
            due = after_quiet_hours(now, org.quiet_from, org.quiet_until)
    for channel, then in rows:
        session.add(
            NotificationOutbox(
                org_id=recipient.org_id,
                user_id=recipient.id,
                young_person_id=young_person_id,
                channel=channel,
                template=template,
                payload={FALLBACK: then} if then else {},
                next_attempt_at=due,
            )
        )


async def _destinations(
    session: AsyncSession, row: NotificationOutbox
) -> list[tuple[str, dict[str, str], PushSubscription | None]]:
    if row.user_id is None:
        # A notice to an address (an invite, a reset link): the address came with it.
        to = row.payload.get("to")
        return [(str(to), {}, None)] if to else []
    user = await session.get(User, row.user_id)
    if user is None or not user.is_active:
        return []
    if row.channel == "push":
        subscriptions = (
            await session.execute(
                select(PushSubscription).where(PushSubscription.user_id == user.id)
            )
        ).scalars()
        return [(s.endpoint, {"p256dh": s.p256dh, "auth": s.auth}, s) for s in subscriptions]
    person = await session.get(YoungPerson, user.young_person_id) if user.young_person_id else None
    if row.channel == "sms":
        # A young person's number is on their record; staff are texted on their own mobile.
        number = (person.mobile if person else None) or user.mobile
        return [(number, {}, None)] if number else []
    address = user.email or (person.email if person else None)
    return [(address, {}, None)] if address else []


async def _language(session: AsyncSession, row: NotificationOutbox) -> str:
    """The language the phone shows the notice in: the young person's own; English for staff."""
    if row.young_person_id is None or row.user_id is None:
        return "en"
    user = await session.get(User, row.user_id)
    if user is None or user.young_person_id != row.young_person_id:
        return "en"
    person = await session.get(YoungPerson, row.young_person_id)
    return person.preferred_language if person else "en"


def _fall_back(session: AsyncSession, row: NotificationOutbox) -> None:
    """No phone took a push: tell the young person the next way they chose, at once."""
    then = [c for c in row.payload.get(FALLBACK, []) if c in CHANNELS]
    if not then:
        return
    session.add(
        NotificationOutbox(
            org_id=row.org_id,
            user_id=row.user_id,
            young_person_id=row.young_person_id,
            channel=then[0],
            template=row.template,
            payload={},
            next_attempt_at=utcnow(),
        )
    )


async def deliver_one(session: AsyncSession, row: NotificationOutbox, notifier: Notifier) -> None:
    row.attempts += 1
    errors = []
    delivered = 0
    lang = await _language(session, row) if row.channel == "push" else "en"
    for to, keys, subscription in await _destinations(session, row):
        try:
            await notifier.send(
                Delivery(
                    channel=row.channel,
                    to=to,
                    template=row.template,
                    text=text_for(row),
                    keys=keys,
                    personalisation=personalisation_for(row),
                    lang=lang,
                )
            )
            delivered += 1
        except Exception as exc:  # any failure is a failed try, never the end of the worker
            if isinstance(exc, NotifierError) and exc.gone and subscription is not None:
                # The browser unsubscribed: forget it, so we stop trying it for everyone's sends.
                await session.execute(
                    delete(PushSubscription).where(PushSubscription.id == subscription.id)
                )
                continue
            errors.append(str(exc))
    if not errors and not delivered and row.channel == "push" and FALLBACK in row.payload:
        # Every phone unsubscribed or signed out since it was queued.
        _fall_back(session, row)
        row.status, row.last_error = OutboxStatus.sent, "no phone subscribed; told another way"
    elif not errors:
        row.status, row.sent_at, row.last_error = OutboxStatus.sent, utcnow(), None
    elif row.attempts >= MAX_ATTEMPTS:
        row.status, row.last_error = OutboxStatus.failed, "; ".join(errors)
        if not delivered and row.channel == "push":
            _fall_back(session, row)
    else:
        row.last_error = "; ".join(errors)
        row.next_attempt_at = utcnow() + timedelta(
            seconds=FIRST_RETRY_SECONDS * 2 ** (row.attempts - 1)
        )
    if row.status is not OutboxStatus.pending and SECRET_LINK in row.payload:
        # Sent or given up: the link need not wait in the database any longer.
        row.payload = {k: v for k, v in row.payload.items() if k != SECRET_LINK}


async def deliver_due(
    maker: async_sessionmaker[AsyncSession], notifier: Notifier, *, limit: int = 50
) -> int:
    """Deliver what is due; each row in its own short transaction. Returns how many were tried."""
    async with maker() as session:
        query = (
            select(NotificationOutbox.id)
            .where(
                NotificationOutbox.status == OutboxStatus.pending,
                NotificationOutbox.next_attempt_at <= utcnow(),
            )
            .order_by(NotificationOutbox.next_attempt_at)
            .limit(limit)
        )
        ids = list((await session.execute(query)).scalars())
    tried = 0
    for row_id in ids:
        async with maker() as session, session.begin():
            claim = select(NotificationOutbox).where(
                NotificationOutbox.id == row_id, NotificationOutbox.status == OutboxStatus.pending
            )
            if session.get_bind().dialect.name == "postgresql":
                # Several workers: each row is taken by one of them.
                claim = claim.with_for_update(skip_locked=True)
            row = (await session.execute(claim)).scalar_one_or_none()
            if row is None:
                continue
            await deliver_one(session, row, notifier)
            tried += 1
    return tried


async def run_worker(
    maker: async_sessionmaker[AsyncSession],
    notifier: Notifier,
    wake: asyncio.Event,
    *,
    poll_seconds: float = 5.0,
) -> None:
    """Deliver forever: on a timer, and at once when a request says there is something new."""
    while True:
        try:
            while await deliver_due(maker, notifier):
                pass
        except Exception:
            logger.exception("notification worker pass failed; trying again")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), poll_seconds)
        wake.clear()
