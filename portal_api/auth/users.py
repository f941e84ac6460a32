"""fastapi-users wiring: our tables, hashed bearer tokens in the database, one query per request.

The library's own SQLAlchemy adapters commit inside their methods; ours only flush, because the
request holds the transaction (a failed request must leave nothing half-written).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi_users import BaseUserManager, FastAPIUsers, InvalidPasswordException, UUIDIDMixin
from fastapi_users.authentication import AuthenticationBackend, BearerTransport, Strategy
from fastapi_users.db import BaseUserDatabase
from fastapi_users.password import PasswordHelper
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.config import SettingsDep
from portal_api.db.base import utcnow
from portal_api.db.session import SessionDep
from portal_api.models import AccessToken, User

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
class UserDatabase(BaseUserDatabase[User, uuid.UUID]):  # type: ignore[type-var]
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, id: uuid.UUID) -> User | None:
        return await self.session.get(User, id)

    async def get_by_email(self, email: str) -> User | None:
        found = await self.session.execute(
            select(User).where(func.lower(User.email) == email.strip().lower())
        )
        return found.scalar_one_or_none()

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


class UserManager(UUIDIDMixin, BaseUserManager[User, uuid.UUID]):  # type: ignore[type-var]
    async def validate_password(self, password: str, user: Any) -> None:
        problem = password_problem(password)
        if problem:
            raise InvalidPasswordException(reason=f"password {problem}")


class HashedDatabaseStrategy(Strategy[User, uuid.UUID]):  # type: ignore[type-var]
    """Database-backed sessions: only a SHA-256 of the token is stored, and reading a token is one
    query that also loads the user (the hot path of every request)."""

    def __init__(self, session: AsyncSession, lifetime_seconds: int) -> None:
        self.session = session
        self.lifetime_seconds = lifetime_seconds

    async def read_token(
        self,
        token: str | None,
        user_manager: BaseUserManager[User, uuid.UUID],  # type: ignore[type-var]
    ) -> User | None:
        if not token:
            return None
        oldest: datetime = utcnow() - timedelta(seconds=self.lifetime_seconds)
        found = await self.session.execute(
            select(User)
            .join(AccessToken, AccessToken.user_id == User.id)
            .where(AccessToken.token_hash == hash_token(token), AccessToken.created_at >= oldest)
        )
        return found.scalar_one_or_none()

    async def write_token(self, user: User) -> str:
        token = new_token()
        self.session.add(AccessToken(token_hash=hash_token(token), user_id=user.id))
        await self.session.flush()
        return token

    async def destroy_token(self, token: str, user: User) -> None:
        await self.session.execute(
            delete(AccessToken).where(AccessToken.token_hash == hash_token(token))
        )


async def revoke_all_sessions(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Sign a user out everywhere: on password change, on disabling the account."""
    await session.execute(delete(AccessToken).where(AccessToken.user_id == user_id))


async def get_user_manager(session: SessionDep) -> UserManager:
    return UserManager(UserDatabase(session), password_helper)


async def get_strategy(session: SessionDep, settings: SettingsDep) -> HashedDatabaseStrategy:
    return HashedDatabaseStrategy(session, settings.session_lifetime_seconds)


bearer_transport = BearerTransport(tokenUrl="/api/v1/auth/login")
auth_backend = AuthenticationBackend(  # type: ignore[type-var]
    name="bearer", transport=bearer_transport, get_strategy=get_strategy
)
fastapi_users = FastAPIUsers[User, uuid.UUID](get_user_manager, [auth_backend])  # type: ignore[type-var]

current_active_user = fastapi_users.current_user(active=True)
current_active_user_and_token = fastapi_users.authenticator.current_user_token(active=True)
UserManagerDep = Annotated[UserManager, Depends(get_user_manager)]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None
