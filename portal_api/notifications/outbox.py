"""The notification outbox: rows written in the same transaction as what caused them, delivered
after commit by the worker with retries and backoff. A failed send never fails the request that
caused it; after the last try the row is ``failed`` and staff can see it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.common.time import LONDON
from portal_api.db.base import utcnow
from portal_api.models import (
    NotificationOutbox,
    OutboxStatus,
    PushSubscription,
    Role,
    User,
    YoungPerson,
)
from portal_api.notifications.notifier import (
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
# Children's code: no buzzing phones at night for young people (staff alerts are not delayed).
QUIET_FROM, QUIET_UNTIL = time(21, 0), time(8, 0)


def after_quiet_hours(moment: datetime) -> datetime:
    local = moment.astimezone(LONDON)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return moment
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=LONDON)


async def enqueue(
    session: AsyncSession,
    recipient: User,
    template: str,
    *,
    young_person_id: uuid.UUID | None,
    urgent: bool = False,
) -> None:
    """One row per channel that can reach the recipient: push if they have subscribed, then SMS
    for a young person with a mobile, email for staff."""
    channels = []
    if await session.scalar(
        select(PushSubscription.id).where(PushSubscription.user_id == recipient.id).limit(1)
    ):
        channels.append("push")
    if recipient.role is Role.young_person:
        person = (
            await session.get(YoungPerson, recipient.young_person_id)
            if recipient.young_person_id
            else None
        )
        if person is not None and person.mobile and "push" not in channels:
            channels.append("sms")
    else:
        channels.append("email")
    now = utcnow()
    due = now if urgent or recipient.role is not Role.young_person else after_quiet_hours(now)
    for channel in channels:
        session.add(
            NotificationOutbox(
                org_id=recipient.org_id,
                user_id=recipient.id,
                young_person_id=young_person_id,
                channel=channel,
                template=template,
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
    if row.channel == "sms":
        person = (
            await session.get(YoungPerson, user.young_person_id) if user.young_person_id else None
        )
        number = person.mobile if person else user.phone
        return [(number, {}, None)] if number else []
    return [(user.email, {}, None)] if user.email else []


async def deliver_one(session: AsyncSession, row: NotificationOutbox, notifier: Notifier) -> None:
    row.attempts += 1
    errors = []
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
                )
            )
        except Exception as exc:  # any failure is a failed try, never the end of the worker
            if isinstance(exc, NotifierError) and exc.gone and subscription is not None:
                # The browser unsubscribed: forget it, so we stop trying it for everyone's sends.
                await session.execute(
                    delete(PushSubscription).where(PushSubscription.id == subscription.id)
                )
                continue
            errors.append(str(exc))
    if not errors:
        row.status, row.sent_at, row.last_error = OutboxStatus.sent, utcnow(), None
    elif row.attempts >= MAX_ATTEMPTS:
        row.status, row.last_error = OutboxStatus.failed, "; ".join(errors)
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
