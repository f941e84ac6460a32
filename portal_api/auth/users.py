"""fastapi-users wiring: our tables, hashed tokens in the database, one query per request.

Sessions end after a while idle and after an absolute lifetime, both by role (settings); a
session started as "This is a shared phone" ends sooner, at its own ``expires_at``. A staff
session whose organisation requires two-step sign-in that they have not set up may only set it
up (``signed_in.full_session`` refuses it everywhere else). How a request carries its token
(header or cookie) is ``signed_in.py``.

The library's own SQLAlchemy adapters commit inside their methods; ours only flush, because the
request holds the transaction (a failed request must leave nothing half-written).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import Request
from fastapi.security import OAuth2PasswordRequestForm
from fastapi_users import BaseUserManager, InvalidPasswordException, UUIDIDMixin
from fastapi_users.authentication import Strategy
from fastapi_users.db import BaseUserDatabase
from fastapi_users.password import PasswordHelper
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import Select, String, bindparam, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.common.addresses import is_mobile, sign_in_name
from portal_api.config import Settings
from portal_api.db import kept_rows
from portal_api.db.base import utcnow
from portal_api.db.reads_version import MOVES, record_keys_for, user_key
from portal_api.db.session import SessionDep
from portal_api.models import AccessToken, Organisation, PushSubscription, Role, User
from portal_api.models.user import TotpCredential

# A session's last use is written at most this often (not a write on every request).
TOUCH_EVERY = timedelta(minutes=1)
MIN_PASSWORD_LENGTH = 8
# Long passphrases are welcome; the cap only stops someone hashing a megabyte on every login.
MAX_PASSWORD_LENGTH = 1024

password_helper = PasswordHelper(PasswordHash((Argon2Hasher(),)))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def password_problem(password: str) -> str | None:
    """Length only: composition rules make passwords worse (NCSC guidance)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"must be at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"must be at most {MAX_PASSWORD_LENGTH} characters"
    return None


# User's columns are Mapped[...] to mypy, which the library's UserProtocol does not accept.
class UserDatabase(BaseUserDatabase[User, uuid.UUID]):  # type: ignore[type-var,unused-ignore]
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, id: uuid.UUID) -> User | None:
        return await self.session.get(User, id)

    async def get_by_email(self, email: str) -> User | None:
        """fastapi-users' lookup: the one account with this address, or None (also when the
        address is used in more than one council: which one is meant is not known here)."""
        found = await self.find(sign_in_name(email), None)
        return found[0] if len(found) == 1 else None

    async def find(self, name: str, org: str | None) -> list[User]:
        """The accounts a sign-in name (an email or a UK mobile, as ``sign_in_name`` spells it)
        names, in the council whose slug is ``org`` if given. Emails and mobiles are unique per
        council, so at most one per council."""
        column = User.mobile if is_mobile(name) else func.lower(User.email)
        query = select(User).where(column == name).order_by(User.created_at).limit(50)
        if org is not None:
            query = query.join(Organisation, Organisation.id == User.org_id).where(
                Organisation.slug == org
            )
        return list((await self.session.execute(query)).scalars())

    async def create(self, create_dict: dict[str, Any]) -> User:
        user = User(**create_dict)
        self.session.add(user)
        await self.session.flush()
        return user

    async def update(self, user: User, update_dict: dict[str, Any]) -> User:
        for key, value in update_dict.items():
            setattr(user, key, value)
        await self.session.flush()
        return user

    async def delete(self, user: User) -> None:
        # Accounts are disabled, never deleted: the audit trail points at them.
        user.is_active = False
        await self.session.flush()


async def hash_password(password: str) -> str:
    """Argon2 spends tens of milliseconds of CPU on purpose. It runs in a thread (argon2 lets go
    of the GIL), so a burst of sign-ins does not stall every other request on the worker: under
    load the sign-in ramp alone pushed read latencies past a second (bench/README.md)."""
    return await asyncio.to_thread(password_helper.hash, password)


async def verify_password(password: str, hashed: str) -> tuple[bool, str | None]:
    """(right, a stronger hash to store if the parameters changed): off the event loop too."""
    return await asyncio.to_thread(password_helper.verify_and_update, password, hashed)


class UserManager(UUIDIDMixin, BaseUserManager[User, uuid.UUID]):  # type: ignore[type-var,unused-ignore]
    async def validate_password(self, password: str, user: Any) -> None:
        problem = password_problem(password)
        if problem:
            raise InvalidPasswordException(reason=f"password {problem}")

    async def authenticate(self, credentials: OAuth2PasswordRequestForm) -> User | None:
        """fastapi-users' own (email or mobile, in the only council that has it)."""
        return await self.authenticate_in(
            sign_in_name(credentials.username), credentials.password, None
        )

    async def authenticate_in(self, name: str, password: str, org: str | None) -> User | None:
        """The account ``name`` signs in to (in council ``org`` if given) if ``password`` is
        its password, with the hashing off the event loop. A name used in more than one council
        with no council given names no account: the answer is a wrong password's."""
        assert isinstance(self.user_db, UserDatabase)
        found = await self.user_db.find(name, org)
        if len(found) != 1:
            # Hash anyway: an unknown name takes as long to refuse as a wrong password.
            await hash_password(password)
            return None
        user = found[0]
        verified, updated = await verify_password(password, user.hashed_password)
        if not verified:
            return None
        if updated is not None:
            await self.user_db.update(user, {"hashed_password": updated})
        return user


@dataclass(frozen=True, slots=True)
class SessionLimits:
    """How long a session lasts, by role: since sign-in (absolute) and since last use (idle)."""

    staff_idle: timedelta
    staff_absolute: timedelta
    young_person_idle: timedelta
    young_person_absolute: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> SessionLimits:
        return cls(
            staff_idle=timedelta(seconds=settings.staff_session_idle_seconds),
            staff_absolute=timedelta(seconds=settings.session_lifetime_seconds),
            young_person_idle=timedelta(seconds=settings.young_person_session_idle_seconds),
            young_person_absolute=timedelta(seconds=settings.young_person_session_lifetime_seconds),
        )

    def for_role(self, role: Role) -> tuple[timedelta, timedelta]:
        if role is Role.young_person:
            return self.young_person_idle, self.young_person_absolute
        return self.staff_idle, self.staff_absolute


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A live session: whose, its token, whether it may only set up two-step sign-in, and
    whether it was started as a shared phone's (short, and nothing kept on the device)."""

    user: User
    token: str
    enrolment_only: bool
    shared_device: bool = False
    # When the session must be read from the database again: it times out, or is due its
    # idle-time touch (a kept answer is served on it only before then: common/kept.py).
    recheck_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class _KeptSession:
    user: kept_rows.Snapshot
    recheck_at: datetime
    shared_device: bool


@functools.cache
def _session_select() -> Select[*tuple[Any, ...]]:
    """The token lookup, built once per process with the token's hash a bound parameter: building
    it on every request was a tenth of a home screen's CPU (bench/README.md, the py-spy profile)."""
    return (
        select(
            User,
            AccessToken.created_at,
            AccessToken.last_used_at,
            AccessToken.expires_at,
            Organisation.require_staff_mfa,
            TotpCredential.confirmed_at,
        )
        .join(AccessToken, AccessToken.user_id == User.id)
        .join(Organisation, Organisation.id == User.org_id)
        .outerjoin(TotpCredential, TotpCredential.user_id == User.id)
        .where(
            AccessToken.token_hash == bindparam("token_hash", type_=String()),
            User.is_active.is_(True),
        )
    )


class HashedDatabaseStrategy(Strategy[User, uuid.UUID]):  # type: ignore[type-var,unused-ignore]
    """Database-backed sessions: only a SHA-256 of the token is stored, and reading a token is one
    query that also loads the user, whether their organisation requires two-step sign-in and
    whether they have it (the hot path of every request)."""

    def __init__(
        self,
        session: AsyncSession,
        limits: SessionLimits,
        touch: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        self.session = session
        self.limits = limits
        self._touch_maker = touch

    async def read_session(self, token: str | None) -> SignedIn | None:
        if not token:
            return None
        token_hash = hash_token(token)
        kept = kept_rows.kept_rows(self.session)
        if kept is not None:
            signed_in = await self._kept_session(kept, token, token_hash)
            if signed_in is not None:
                return signed_in
        # Read from the database unless kept (a young person's, until a version says it may
        # have changed: db/kept_rows.py): a revoked session fails at once either way.
        found = await self.session.execute(_session_select(), {"token_hash": token_hash})
        row = found.one_or_none()
        if row is None:
            return None
        user, created_at, last_used_at, expires_at, org_requires_mfa, mfa_confirmed_at = row
        idle, absolute = self.limits.for_role(user.role)
        now = utcnow()
        last_used = last_used_at or created_at
        if now - created_at > absolute or now - last_used > idle:
            return None
        if expires_at is not None and now >= expires_at:
            return None
        touched = last_used
        if now - last_used >= TOUCH_EVERY:
            await self._touch(token_hash, now)
            touched = now
        ends = [created_at + absolute, last_used + idle, touched + TOUCH_EVERY]
        enrolment_only = user.is_staff and org_requires_mfa and mfa_confirmed_at is None
        signed_in = SignedIn(
            user=user,
            token=token,
            enrolment_only=enrolment_only,
            shared_device=expires_at is not None,
            recheck_at=min(ends if expires_at is None else [*ends, expires_at]),
        )
        if kept is not None:
            await self._keep(kept, token_hash, signed_in)
        return signed_in

    async def _kept_session(
        self, kept: kept_rows.KeptRows, token: str, token_hash: str
    ) -> SignedIn | None:
        """A young person's session as kept, while its versions stand and before it is due to be
        read again (its idle-time touch, or its end): until then every check above holds."""
        name = kept_rows.session_name(token_hash)
        keys = kept.keys_of(name)
        if keys is None:
            return None
        seen = await kept_rows.read_versions(self.session, keys)
        found: _KeptSession | None = kept.get(name, seen) if seen is not None else None
        if found is None or utcnow() >= found.recheck_at:
            return None
        return SignedIn(
            user=kept_rows.revive(self.session, found.user),
            token=token,
            enrolment_only=False,  # only staff may have to set up two-step sign-in
            shared_device=found.shared_device,
            recheck_at=found.recheck_at,
        )

    async def _keep(self, kept: kept_rows.KeptRows, token_hash: str, signed_in: SignedIn) -> None:
        user = signed_in.user
        if user.role is not Role.young_person or user.young_person_id is None:
            return
        if signed_in.recheck_at is None or not kept_rows.keepable(self.session):
            return
        snapshot = kept_rows.snapshot(user)
        if snapshot is None:
            return
        keys = record_keys_for(user.id, user.young_person_id)
        # The versions read before the row was, if its keys were known; else only the keys are
        # kept, and read first next time.
        seen = kept_rows.seen(self.session)
        entry = _KeptSession(snapshot, signed_in.recheck_at, signed_in.shared_device)
        kept.put(kept_rows.session_name(token_hash), keys, seen, entry)
        if seen is None:
            # For the rows this request reads after now (its own record, who answers it).
            await kept_rows.read_versions(self.session, keys)

    async def _touch(self, token_hash: str, now: datetime) -> None:
        """Record use for the idle timeout, at most once a minute per session, in a transaction of
        its own: the request's may run long (a PDF), and must not hold this row meanwhile."""
        statement = (
            update(AccessToken)
            .where(
                AccessToken.token_hash == token_hash,
                or_(
                    AccessToken.last_used_at.is_(None),
                    AccessToken.last_used_at < now - TOUCH_EVERY,
                ),
            )
            .values(last_used_at=now)
            # Moves no kept answer: the session is the same session (db/reads_version.py).
            .execution_options(**{MOVES: ()})
        )
        if self._touch_maker is None:
            await self.session.execute(statement)
            return
        async with self._touch_maker() as touch, touch.begin():
            await touch.execute(statement)

    async def read_token(
        self,
        token: str | None,
        user_manager: BaseUserManager[User, uuid.UUID],  # type: ignore[type-var,unused-ignore]
    ) -> User | None:
        signed_in = await self.read_session(token)
        if signed_in is None or signed_in.enrolment_only:
            return None
        return signed_in.user

    async def write_token(self, user: User, lifetime: timedelta | None = None) -> str:
        """A new session; ``lifetime`` (a shared phone's) ends it sooner than the role would."""
        # Housekeeping while we are here: this user's sessions that have timed out go.
        now = utcnow()
        idle, absolute = self.limits.for_role(user.role)
        await self.session.execute(
            delete(AccessToken)
            .where(
                AccessToken.user_id == user.id,
                or_(
                    AccessToken.created_at < now - absolute,
                    func.coalesce(AccessToken.last_used_at, AccessToken.created_at) < now - idle,
                    AccessToken.expires_at < now,
                ),
            )
            .execution_options(**{MOVES: {user_key(user.id)}})
        )
        token = new_token()
        expires_at = now + lifetime if lifetime is not None else None
        self.session.add(
            AccessToken(token_hash=hash_token(token), user_id=user.id, expires_at=expires_at)
        )
        await self.session.flush()
        return token

    async def destroy_token(self, token: str, user: User) -> None:
        token_hash = hash_token(token)
        # Said here as well as by the foreign key's cascade: the phone signed out is told
        # nothing more, whatever the database enforces.
        await self.session.execute(
            delete(PushSubscription).where(PushSubscription.access_token_hash == token_hash)
        )
        await self.session.execute(
            delete(AccessToken)
            .where(AccessToken.token_hash == token_hash)
            .execution_options(**{MOVES: {user_key(user.id)}})
        )


async def revoke_all_sessions(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Sign a user out everywhere: on request, on password change or reset, on disabling the
    account, on an administrator's reset of their two-step sign-in. No phone of theirs is told
    anything more, including one subscribed before subscriptions belonged to a session."""
    await session.execute(delete(PushSubscription).where(PushSubscription.user_id == user_id))
    await session.execute(
        delete(AccessToken)
        .where(AccessToken.user_id == user_id)
        .execution_options(**{MOVES: {user_key(user_id)}})
    )


async def session_is_live(session: AsyncSession, token: str) -> bool:
    """Whether a session still stands: its token not revoked (signed out, password changed) and
    its account not disabled. One indexed lookup, for long-lived streams to check as they run."""
    found = await session.scalar(
        select(AccessToken.user_id)
        .join(User, User.id == AccessToken.user_id)
        .where(AccessToken.token_hash == hash_token(token), User.is_active.is_(True))
    )
    return found is not None


async def get_user_manager(session: SessionDep) -> UserManager:
    return UserManager(UserDatabase(session), password_helper)


def strategy_for(request: Request, session: AsyncSession) -> HashedDatabaseStrategy:
    """The request's session strategy, built by hand where it is on every request's path (the
    token check): each dependency FastAPI solves costs every request that uses it."""
    settings: Settings = request.app.state.settings
    return HashedDatabaseStrategy(
        session, SessionLimits.from_settings(settings), touch=request.app.state.sessionmaker
    )


async def get_strategy(request: Request, session: SessionDep) -> HashedDatabaseStrategy:
    return strategy_for(request, session)
