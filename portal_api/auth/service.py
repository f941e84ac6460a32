"""Sign-in, sessions, passwords (and forgetting them), and making accounts. Invites and
staff-started resets are in ``auth.invites``."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any, NoReturn

from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.audit import service as audit
from portal_api.auth import mfa
from portal_api.auth.mfa import SecretBox
from portal_api.auth.schemas import MeRead, TokenRead
from portal_api.auth.throttle import Throttle
from portal_api.auth.users import (
    HashedDatabaseStrategy,
    UserDatabase,
    UserManager,
    hash_password,
    hash_token,
    new_token,
    password_problem,
    revoke_all_sessions,
    verify_password,
)
from portal_api.common.actor import Actor
from portal_api.common.addresses import (
    is_mobile,
    normalise_email,
    normalise_uk_mobile,
    sign_in_name,
)
from portal_api.common.schemas import has_nul
from portal_api.db.base import utcnow
from portal_api.errors import Conflict, InvalidInput, NotFound, Unauthorized
from portal_api.models import (
    Organisation,
    Role,
    User,
    teams_of,
)
from portal_api.models.user import PasswordReset
from portal_api.notifications.notifier import Delivery, Notifier

logger = logging.getLogger(__name__)

WRONG_CREDENTIALS = "The email or password is not right."
CODE_NEEDED = "Enter the code from your authenticator app."
WRONG_CODE = "The code is not right. Enter the code your authenticator app shows now."
RESET_ACCEPTED = (
    "If an account uses that email, we have sent it a link to choose a new password. "
    "It works once, for a short time."
)
RESET_LINK_GONE = "This link has expired or was already used. Ask for a new one."


async def _refuse_login(
    session: AsyncSession,
    throttle: Throttle,
    email: str,
    ip: str | None,
    user: User | None,
    *,
    wrong_code: bool = False,
) -> NoReturn:
    await throttle.failed(email, ip)
    # Name the account someone tried, so an organisation can see guessing at its staff.
    audit.record(
        session,
        None,
        "auth.login_failed",
        ip=ip,
        org_id=user.org_id if user else None,
        user_id=str(user.id) if user else None,
        reason="code" if wrong_code else "password",
    )
    # The failure is the answer, but its audit row must survive: commit it on purpose.
    await session.commit()
    if wrong_code:
        raise Unauthorized(WRONG_CODE, headers={"WWW-Authenticate": "Bearer"}, otp_required=True)
    raise Unauthorized(WRONG_CREDENTIALS, headers={"WWW-Authenticate": "Bearer"})


async def login(
    session: AsyncSession,
    manager: UserManager,
    strategy: HashedDatabaseStrategy,
    throttle: Throttle,
    box: SecretBox,
    form: OAuth2PasswordRequestForm,
    otp: str | None,
    ip: str | None,
    org: str | None = None,
    *,
    lifetime: timedelta | None = None,
) -> TokenRead:
    """``lifetime`` shortens the session (a shared phone's: see auth/cookie.py).

    The same answer for an unknown email, a wrong password and a disabled account; and the
    same throttling, which is decided before anything is looked up.

    ``username`` is an email or a UK mobile number. Emails and mobiles are unique per council,
    not across the deployment, so sign-in is per council: ``org`` (the council's slug, which the
    app, served per council, always sends) says which. Without it, a name that only one council
    uses signs in there (a deployment of one council never needs it); a name that several
    councils use signs in nowhere, with a wrong password's answer (it says nothing about the
    other councils).

    Only once the password is right may the answer say that a code is needed (or wrong): by then
    the asker knows the password, so it tells them nothing they could not find out by signing in.
    """
    if has_nul(form.username) or (org is not None and has_nul(org)):
        # Names no account, and PostgreSQL could not even look it up (or log the attempt).
        raise InvalidInput("username", "must not contain a NUL character")
    # "07700 900123" and "+447700900123" are one account, and share one throttle.
    name = sign_in_name(form.username)
    await throttle.check(name, ip)
    user = await manager.authenticate_in(name, form.password, org)
    if user is None or not user.is_active:
        if user is None:
            assert isinstance(manager.user_db, UserDatabase)
            named = await manager.user_db.find(name, org)
            user = named[0] if len(named) == 1 else None
        await _refuse_login(session, throttle, name, ip, user)
    enrolment_required = False
    if user.is_staff:
        found = await mfa.credential(session, user.id)
        if mfa.is_on(found):
            assert found is not None
            if not otp:
                # The first half of a normal two-step sign-in, not a failure.
                raise Unauthorized(
                    CODE_NEEDED, headers={"WWW-Authenticate": "Bearer"}, otp_required=True
                )
            if not await mfa.use_code(session, box, found, otp, mfa.now()):
                await _refuse_login(session, throttle, name, ip, user, wrong_code=True)
        else:
            enrolment_required = await mfa.required_for(session, user)
    await throttle.succeeded(name)
    token = await strategy.write_token(user, lifetime)
    details: dict[str, Any] = {}
    if enrolment_required:
        details["mfa_enrolment_required"] = True
    if lifetime is not None:
        details["shared_device"] = True
    audit.record(session, Actor(user, ip), "auth.login", **details)
    return TokenRead(access_token=token, mfa_enrolment_required=enrolment_required)


async def logout(
    session: AsyncSession, strategy: HashedDatabaseStrategy, actor: Actor, token: str
) -> None:
    await strategy.destroy_token(token, actor.user)
    audit.record(session, actor, "auth.logout")


async def may_require_staff_mfa(session: AsyncSession, actor: Actor) -> None:
    """For the organisation's settings: refuse to require two-step sign-in of all staff until the
    administrator asking has it themselves."""
    await mfa.may_require(session, actor)


async def with_sign_in_code(session: AsyncSession, user_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these staff have set up a sign-in code (never the secret itself)."""
    return await mfa.who_has_it_on(session, user_ids)


async def logout_everywhere(session: AsyncSession, actor: Actor) -> None:
    """Every session of this account ends, this one included (a lost phone, a shared computer)."""
    await revoke_all_sessions(session, actor.user.id)
    audit.record(session, actor, "auth.logout_everywhere")


async def me(session: AsyncSession, user: User) -> MeRead:
    org = await session.get(Organisation, user.org_id)
    assert org is not None
    team_ids = sorted(await teams_of(session, user.id))
    return MeRead(
        id=user.id,
        email=user.email,
        mobile=user.mobile,
        display_name=user.display_name,
        role=user.role,
        org_id=user.org_id,
        organisation_name=org.name,
        organisation_slug=org.slug,
        young_person_id=user.young_person_id,
        team_ids=team_ids,
        mfa_enabled=mfa.is_on(await mfa.credential(session, user.id)),
        mfa_required=await mfa.required_for(session, user),
    )


async def change_password(
    session: AsyncSession, actor: Actor, current_password: str, new_password: str
) -> None:
    verified, _ = await verify_password(current_password, actor.user.hashed_password)
    if not verified:
        raise InvalidInput("current_password", "is not your current password")
    problem = password_problem(new_password)
    if problem:
        raise InvalidInput("new_password", problem)
    actor.user.hashed_password = await hash_password(new_password)
    actor.user.password_changed_at = utcnow()
    # Every session ends, this one included: whoever knew the old password is signed out.
    await revoke_all_sessions(session, actor.user.id)
    audit.record(session, actor, "auth.password_changed")


async def request_password_reset(throttle: Throttle, username: str, ip: str | None) -> None:
    """Counted before anything is looked up, so a name nobody uses is limited the same way."""
    name = sign_in_name(username)
    await throttle.check(name, ip)
    await throttle.failed(name, ip)


def reset_link(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/reset-password#token={token}"


def reset_text(org_name: str, minutes: int, link: str) -> str:
    return (
        f"Someone asked to reset the password of your {org_name} care leaver portal "
        f"account. To choose a new password, open this link within {minutes} "
        f"minutes: {link}\n\nIf it was not you, ignore this message: your password "
        "has not changed."
    )


async def new_reset(session: AsyncSession, user: User, lifetime: timedelta) -> str:
    """A fresh single-use link token for ``user``; any older unused link stops working."""
    await session.execute(
        delete(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)
        )
    )
    token = new_token()
    session.add(
        PasswordReset(user_id=user.id, token_hash=hash_token(token), expires_at=utcnow() + lifetime)
    )
    return token


async def send_password_reset(
    maker: async_sessionmaker[AsyncSession],
    notifier: Notifier,
    username: str,
    ip: str | None,
    *,
    public_url: str,
    lifetime: timedelta,
    org: str | None = None,
) -> None:
    """Runs after the answer has gone (a background task), in a transaction of its own: whether
    the name has an account, and whether a message is sent, cannot change how long the answer
    took or what it said. One live link per account; a new one replaces the old.

    A mobile number gets its link by SMS, an email by email. Without ``org``, every account the
    name has (one per council at most) is sent its own link: whoever holds the address holds
    each of them."""
    name = sign_in_name(username)
    channel = "sms" if is_mobile(name) else "email"
    minutes = int(lifetime.total_seconds() // 60)
    try:
        sends = []
        async with maker() as session, session.begin():
            for user in await UserDatabase(session).find(name, org):
                if not user.is_active:
                    await session.execute(
                        delete(PasswordReset).where(PasswordReset.user_id == user.id)
                    )
                    continue
                token = await new_reset(session, user, lifetime)
                audit.record(session, Actor(user, ip), "auth.password_reset_requested")
                found = await session.get(Organisation, user.org_id)
                org_name = found.name if found else "your council"
                sends.append((org_name, reset_link(public_url, token)))
        for org_name, link in sends:
            await notifier.send(
                Delivery(
                    channel=channel,
                    to=name,
                    template="password_reset",
                    text=reset_text(org_name, minutes, link),
                    # The Notify template says the same with ((council)), ((minutes)), ((link)).
                    personalisation={"council": org_name, "minutes": str(minutes), "link": link},
                )
            )
    except Exception as exc:  # never the token, nor the address, in a log
        logger.error("password reset link not sent: %s", type(exc).__name__)


async def reset_password(
    session: AsyncSession, throttle: Throttle, token: str, new_password: str, ip: str | None
) -> None:
    """A new password from a reset link. Every session ends; two-step sign-in stays as it was
    (the link proves the email, not the phone). The account's sign-in throttle is cleared: the
    owner is back, whoever was failing at their password."""
    now = utcnow()
    reset = await session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == hash_token(token))
    )
    user = await session.get(User, reset.user_id) if reset is not None else None
    # Used, expired and unknown links get one answer: nothing to learn by guessing.
    if (
        reset is None
        or reset.used_at is not None
        or reset.expires_at <= now
        or user is None
        or not user.is_active
    ):
        raise NotFound(RESET_LINK_GONE)
    problem = password_problem(new_password)
    if problem:
        raise InvalidInput("new_password", problem)
    # Single use even when two requests race with one link: only one update finds it unused.
    claimed = await session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(claimed, CursorResult)
    if claimed.rowcount != 1:
        raise NotFound(RESET_LINK_GONE)
    await session.execute(
        delete(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)
        )
    )
    user.hashed_password = await hash_password(new_password)
    user.password_changed_at = now
    await revoke_all_sessions(session, user.id)
    audit.record(session, Actor(user, ip), "auth.password_reset")
    for name in (user.email, user.mobile):
        if name:
            await throttle.succeeded(name)


async def address_taken(
    session: AsyncSession, org_id: uuid.UUID, *, email: str | None, mobile: str | None
) -> str | None:
    """Which of these an account in this council already signs in with ("email", "mobile")."""
    if email and await session.scalar(
        select(User.id).where(User.org_id == org_id, func.lower(User.email) == email)
    ):
        return "email"
    if mobile and await session.scalar(
        select(User.id).where(User.org_id == org_id, User.mobile == mobile)
    ):
        return "mobile"
    return None


async def create_user(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    email: str | None,
    password: str,
    display_name: str,
    role: Role,
    young_person_id: uuid.UUID | None = None,
    phone: str | None = None,
    mobile: str | None = None,
) -> User:
    """Every account is made here, whoever asks (the API, `portal create-user`, an invite), so
    one rule decides which emails and mobiles are accepted (common.addresses). Staff need an
    email; a young person needs an email or a UK mobile."""
    try:
        email = normalise_email(email) if email else None
    except ValueError as exc:
        raise InvalidInput("email", str(exc)) from None
    try:
        mobile = normalise_uk_mobile(mobile) if mobile else None
    except ValueError as exc:
        raise InvalidInput("mobile", str(exc)) from None
    if email is None and (mobile is None or role is not Role.young_person):
        raise InvalidInput("email", "is needed to sign in (a young person may use a mobile)")
    problem = password_problem(password)
    if problem:
        raise InvalidInput("password", problem)
    taken = await address_taken(session, org_id, email=email, mobile=mobile)
    if taken:
        # Within one council only: another council's accounts are none of this one's business.
        raise Conflict(f"An account in this council already signs in with that {taken}.")
    user = User(
        org_id=org_id,
        email=email,
        mobile=mobile,
        hashed_password=await hash_password(password),
        display_name=display_name,
        role=role,
        young_person_id=young_person_id,
        phone=phone,
    )
    session.add(user)
    await session.flush()
    return user


async def set_active(session: AsyncSession, user: User, active: bool) -> None:
    user.is_active = active
    if not active:
        await revoke_all_sessions(session, user.id)
