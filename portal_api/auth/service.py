"""Sign-in, sessions, passwords, staff accounts and invites."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.auth.dependencies import Actor
from portal_api.auth.schemas import MeRead
from portal_api.auth.users import (
    HashedDatabaseStrategy,
    UserManager,
    hash_token,
    new_token,
    password_helper,
    password_problem,
    revoke_all_sessions,
)
from portal_api.db.base import utcnow
from portal_api.errors import Conflict, InvalidInput, InvalidState, NotFound, Unauthorized
from portal_api.models import Invite, Organisation, Role, TeamMembership, User, YoungPerson

WRONG_CREDENTIALS = "The email or password is not right."


async def login(
    session: AsyncSession,
    manager: UserManager,
    strategy: HashedDatabaseStrategy,
    form: OAuth2PasswordRequestForm,
    ip: str | None,
) -> str:
    """The same answer for an unknown email, a wrong password and a disabled account."""
    user = await manager.authenticate(form)
    if user is None or not user.is_active:
        # Name the account someone tried, so an organisation can see guessing at its staff.
        user = user or await manager.user_db.get_by_email(form.username)
        audit.record(
            session,
            None,
            "auth.login_failed",
            ip=ip,
            org_id=user.org_id if user else None,
            user_id=str(user.id) if user else None,
        )
        # The failure is the answer, but its audit row must survive: commit it on purpose.
        await session.commit()
        raise Unauthorized(WRONG_CREDENTIALS, headers={"WWW-Authenticate": "Bearer"})
    token = await strategy.write_token(user)
    audit.record(session, Actor(user, ip), "auth.login")
    return token


async def logout(
    session: AsyncSession, strategy: HashedDatabaseStrategy, actor: Actor, token: str
) -> None:
    await strategy.destroy_token(token, actor.user)
    audit.record(session, actor, "auth.logout")


async def me(session: AsyncSession, user: User) -> MeRead:
    org = await session.get(Organisation, user.org_id)
    assert org is not None
    team_ids = list(
        (
            await session.execute(
                select(TeamMembership.team_id).where(TeamMembership.user_id == user.id)
            )
        ).scalars()
    )
    return MeRead(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=user.role,
        org_id=user.org_id,
        organisation_name=org.name,
        organisation_slug=org.slug,
        young_person_id=user.young_person_id,
        team_ids=team_ids,
    )


async def change_password(
    session: AsyncSession, actor: Actor, current_password: str, new_password: str
) -> None:
    verified, _ = password_helper.verify_and_update(current_password, actor.user.hashed_password)
    if not verified:
        raise InvalidInput("current_password", "is not your current password")
    problem = password_problem(new_password)
    if problem:
        raise InvalidInput("new_password", problem)
    actor.user.hashed_password = password_helper.hash(new_password)
    actor.user.password_changed_at = utcnow()
    # Every session ends, this one included: whoever knew the old password is signed out.
    await revoke_all_sessions(session, actor.user.id)
    audit.record(session, actor, "auth.password_changed")


async def email_taken(session: AsyncSession, email: str) -> bool:
    found = await session.scalar(
        select(User.id).where(func.lower(User.email) == email.strip().lower())
    )
    return found is not None


async def create_user(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    email: str,
    password: str,
    display_name: str,
    role: Role,
    young_person_id: uuid.UUID | None = None,
    phone: str | None = None,
) -> User:
    problem = password_problem(password)
    if problem:
        raise InvalidInput("password", problem)
    if await email_taken(session, email):
        raise Conflict("An account with that email already exists.")
    user = User(
        org_id=org_id,
        email=email.strip().lower(),
        hashed_password=password_helper.hash(password),
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


async def create_invite(
    session: AsyncSession, actor: Actor, young_person: YoungPerson, email: str, lifetime_hours: int
) -> tuple[Invite, str]:
    """One live invite at a time: a new one replaces any unused one (the old link stops working)."""
    if await session.scalar(select(User.id).where(User.young_person_id == young_person.id)):
        raise InvalidState("This young person already has an account.")
    await session.execute(
        delete(Invite).where(
            Invite.young_person_id == young_person.id, Invite.accepted_at.is_(None)
        )
    )
    token = new_token()
    invite = Invite(
        org_id=young_person.org_id,
        young_person_id=young_person.id,
        token_hash=hash_token(token),
        email=email.strip().lower(),
        created_by_id=actor.user.id,
        expires_at=utcnow() + timedelta(hours=lifetime_hours),
    )
    session.add(invite)
    await session.flush()
    audit.record(session, actor, "invite.create", young_person_id=young_person.id)
    return invite, token


async def accept_invite(session: AsyncSession, token: str, password: str, ip: str | None) -> User:
    invite = await session.scalar(select(Invite).where(Invite.token_hash == hash_token(token)))
    # Used, expired and unknown invites get one answer: nothing to learn by guessing.
    if invite is None or invite.accepted_at is not None or invite.expires_at <= utcnow():
        raise NotFound(
            "This invite link has expired or was already used. Ask your personal adviser for a new one."
        )
    problem = password_problem(password)
    if problem:
        raise InvalidInput("password", problem)
    person = await session.get(YoungPerson, invite.young_person_id)
    assert person is not None
    if await session.scalar(select(User.id).where(User.young_person_id == person.id)):
        raise InvalidState("You already have an account: sign in instead.")
    user = await create_user(
        session,
        org_id=invite.org_id,
        email=invite.email,
        password=password,
        display_name=person.full_name,
        role=Role.young_person,
        young_person_id=person.id,
    )
    invite.accepted_at = utcnow()
    audit.record(session, Actor(user, ip), "invite.accept", young_person_id=person.id)
    return user
