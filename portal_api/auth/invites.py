"""Getting in, and back in: invites, and password resets that staff start for a young person.

Only the young person gets in. The link (``PUBLIC_URL/invite#token=…`` or
``…/reset-password#token=…``) goes to them through the notification outbox, by SMS to their
mobile or by email, in the same transaction as the invite; staff are told only that it went,
when, how, to a masked address, and until when it works. Only a hash of each token is stored;
the link waits in the outbox row until it is sent and is then wiped from it.

Outbox rows are written here from the model, not through ``messaging``: auth sits below the
domains and must not import them (the worker in ``notifications.outbox`` delivers them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.auth.schemas import InviteRead, InviteWelcome, PasswordResetSent
from portal_api.auth.service import address_taken, create_user, new_reset
from portal_api.auth.users import hash_token, new_token, password_problem
from portal_api.common.actor import Actor
from portal_api.common.addresses import (
    mask_email,
    mask_mobile,
    normalise_email,
    normalise_uk_mobile,
)
from portal_api.db.base import utcnow
from portal_api.errors import Conflict, InvalidInput, InvalidState, NotFound
from portal_api.models import (
    Invite,
    NotificationOutbox,
    Organisation,
    OutboxStatus,
    Role,
    User,
    YoungPerson,
)
from portal_api.notifications.notifier import SECRET_LINK

_DELIVERY: dict[OutboxStatus, Literal["queued", "sent", "failed"]] = {
    OutboxStatus.pending: "queued",
    OutboxStatus.sent: "sent",
    OutboxStatus.failed: "failed",
}
INVITE_GONE = (
    "This invite link has expired or was already used. Ask your personal adviser for a new one."
)


@dataclass(frozen=True, slots=True)
class Address:
    channel: str  # sms, email
    to: str

    @property
    def masked(self) -> str:
        return mask_mobile(self.to) if self.channel == "sms" else mask_email(self.to)


def _record_mobile(person: YoungPerson) -> str:
    assert person.mobile is not None
    try:
        return normalise_uk_mobile(person.mobile)
    except ValueError:
        raise InvalidInput(
            "channel", "the mobile on their record is not a UK mobile number: correct it first"
        ) from None


def _record_email(person: YoungPerson) -> str:
    assert person.email is not None
    try:
        return normalise_email(person.email)
    except ValueError:
        raise InvalidInput(
            "channel", "the email on their record is not one we can send to: correct it first"
        ) from None


def _choose(person: YoungPerson, channel: str | None, email: str | None) -> Address:
    """SMS to the record's mobile unless staff choose email (or there is no mobile)."""
    if email is not None:
        if channel == "sms":
            raise InvalidInput("email", "goes with channel email, not sms")
        return Address("email", email)
    if channel in (None, "sms") and person.mobile:
        return Address("sms", _record_mobile(person))
    if channel in (None, "email") and person.email:
        return Address("email", _record_email(person))
    if channel == "sms":
        raise InvalidInput("channel", "their record has no mobile number: add one first")
    if channel == "email":
        raise InvalidInput("channel", "their record has no email: add one, or give one here")
    raise InvalidInput("channel", "their record has no mobile or email: add one first")


def _queue_link(
    session: AsyncSession,
    person: YoungPerson,
    address: Address,
    template: str,
    link: str,
    **fields: str,
) -> NotificationOutbox:
    """An outbox row to an address, due now (not held for quiet hours: the young person is
    usually waiting for it, often sitting with their PA)."""
    payload: dict[str, Any] = {"to": address.to, SECRET_LINK: link, **fields}
    row = NotificationOutbox(
        org_id=person.org_id,
        user_id=None,
        young_person_id=person.id,
        channel=address.channel,
        template=template,
        payload=payload,
        next_attempt_at=utcnow(),
    )
    session.add(row)
    return row


async def _account_of(session: AsyncSession, person: YoungPerson) -> User | None:
    found: User | None = await session.scalar(select(User).where(User.young_person_id == person.id))
    return found


async def _council(session: AsyncSession, person: YoungPerson) -> str:
    org = await session.get(Organisation, person.org_id)
    return org.name if org else "Your council"


async def _revoke_unused(session: AsyncSession, person: YoungPerson) -> None:
    """The last unused link stops working, and is not sent if it has not gone yet."""
    old = list(
        (
            await session.execute(
                select(Invite.id, Invite.notification_id).where(
                    Invite.young_person_id == person.id, Invite.accepted_at.is_(None)
                )
            )
        ).all()
    )
    if not old:
        return
    await session.execute(delete(Invite).where(Invite.id.in_([i for i, _ in old])))
    waiting = [n for _, n in old if n is not None]
    if waiting:
        await session.execute(
            delete(NotificationOutbox).where(
                NotificationOutbox.id.in_(waiting),
                NotificationOutbox.status == OutboxStatus.pending,
            )
        )


async def send_invite(
    session: AsyncSession,
    actor: Actor,
    person: YoungPerson,
    *,
    channel: str | None,
    email: str | None,
    public_url: str,
    lifetime: timedelta,
) -> InviteRead:
    """Invite a young person without an account; a new invite revokes the last one. Someone
    with an account who cannot get in needs a password reset, not an invite."""
    if await _account_of(session, person) is not None:
        raise InvalidState(
            "This young person already has an account. If they cannot sign in, start a "
            "password reset for them instead."
        )
    address = _choose(person, channel, email)
    taken = await address_taken(
        session,
        person.org_id,
        email=address.to if address.channel == "email" else None,
        mobile=address.to if address.channel == "sms" else None,
    )
    if taken:
        raise Conflict(f"Another account in this council already signs in with that {taken}.")
    await _revoke_unused(session, person)
    token = new_token()
    invite = Invite(
        org_id=person.org_id,
        young_person_id=person.id,
        token_hash=hash_token(token),
        channel=address.channel,
        email=address.to if address.channel == "email" else None,
        mobile=address.to if address.channel == "sms" else None,
        created_by_id=actor.user.id,
        expires_at=utcnow() + lifetime,
    )
    session.add(invite)
    row = _queue_link(
        session,
        person,
        address,
        "invite",
        f"{public_url.rstrip('/')}/invite#token={token}",
        council=await _council(session, person),
        hours=str(int(lifetime.total_seconds() // 3600)),
    )
    await session.flush()
    invite.notification_id = row.id
    audit.record(
        session, actor, "invite.create", young_person_id=person.id, channel=address.channel
    )
    return _read(invite, None, row.status)


def _read(invite: Invite, account: User | None, delivery: OutboxStatus | None) -> InviteRead:
    address = Address(invite.channel, invite.mobile or invite.email or "")
    if invite.accepted_at is not None or account is not None:
        state = "accepted"
    elif invite.expires_at <= utcnow():
        state = "expired"
    else:
        state = "sent"
    return InviteRead(
        state=state,
        channel="sms" if invite.channel == "sms" else "email",
        sent_to=address.masked if address.to else None,
        sent_at=invite.created_at,
        expires_at=invite.expires_at,
        accepted_at=invite.accepted_at,
        delivery=_DELIVERY.get(delivery) if delivery is not None else None,
    )


async def latest_invite(session: AsyncSession, person: YoungPerson) -> InviteRead:
    """The young person's last invite and whether it was used; ``accepted`` for anyone with an
    account, however it was made."""
    account = await _account_of(session, person)
    invite = await session.scalar(
        select(Invite)
        .where(Invite.young_person_id == person.id)
        .order_by(Invite.created_at.desc())
        .limit(1)
    )
    if invite is None:
        return InviteRead(state="accepted" if account is not None else "none")
    delivery = (
        await session.scalar(
            select(NotificationOutbox.status).where(NotificationOutbox.id == invite.notification_id)
        )
        if invite.notification_id is not None
        else None
    )
    return _read(invite, account, delivery)


async def _live_invite(session: AsyncSession, token: str) -> Invite:
    invite = await session.scalar(select(Invite).where(Invite.token_hash == hash_token(token)))
    # Used, expired and unknown invites get one answer: nothing to learn by guessing.
    if invite is None or invite.accepted_at is not None or invite.expires_at <= utcnow():
        raise NotFound(INVITE_GONE)
    return invite


async def welcome(session: AsyncSession, token: str) -> InviteWelcome:
    """Whose app a live invite is for (the council's name), and nothing about the person."""
    invite = await _live_invite(session, token)
    org = await session.get(Organisation, invite.org_id)
    assert org is not None
    return InviteWelcome(organisation_name=org.name)


async def accept_invite(session: AsyncSession, token: str, password: str, ip: str | None) -> User:
    """The account signs in with the address the invite was sent to (email or mobile)."""
    invite = await _live_invite(session, token)
    problem = password_problem(password)
    if problem:
        raise InvalidInput("password", problem)
    person = await session.get(YoungPerson, invite.young_person_id)
    assert person is not None
    if await _account_of(session, person) is not None:
        raise InvalidState("You already have an account: sign in instead.")
    user = await create_user(
        session,
        org_id=invite.org_id,
        email=invite.email,
        mobile=invite.mobile,
        password=password,
        display_name=person.full_name,
        role=Role.young_person,
        young_person_id=person.id,
    )
    invite.accepted_at = utcnow()
    audit.record(session, Actor(user, ip), "invite.accept", young_person_id=person.id)
    return user


async def start_password_reset(
    session: AsyncSession,
    actor: Actor,
    person: YoungPerson,
    *,
    channel: str | None,
    public_url: str,
    lifetime: timedelta,
) -> PasswordResetSent:
    """Staff start a reset for a young person who cannot get in: the link goes to the young
    person (their sign-in mobile or email, else their record's), never to staff. Their
    password and sessions stay as they are until the link is used."""
    account = await _account_of(session, person)
    if account is None:
        raise InvalidState("This young person has no account yet: send them an invite.")
    if not account.is_active:
        raise InvalidState("This young person's account is turned off.")
    mobile = account.mobile or (_record_mobile(person) if person.mobile else None)
    email = account.email or (_record_email(person) if person.email else None)
    if channel in (None, "sms") and mobile:
        address = Address("sms", mobile)
    elif channel in (None, "email") and email:
        address = Address("email", email)
    else:
        wanted = {"sms": "mobile number", "email": "email"}.get(channel or "", "mobile or email")
        raise InvalidInput("channel", f"there is no {wanted} to send it to: add one first")
    token = await new_reset(session, account, lifetime)
    minutes = int(lifetime.total_seconds() // 60)
    row = _queue_link(
        session,
        person,
        address,
        "password_reset",
        f"{public_url.rstrip('/')}/reset-password#token={token}",
        council=await _council(session, person),
        minutes=str(minutes),
    )
    await session.flush()
    audit.record(
        session,
        actor,
        "auth.password_reset_started",
        young_person_id=person.id,
        channel=address.channel,
    )
    sent_at: datetime = row.created_at
    return PasswordResetSent(
        channel="sms" if address.channel == "sms" else "email",
        sent_to=address.masked,
        sent_at=sent_at,
        expires_at=sent_at + lifetime,
    )
