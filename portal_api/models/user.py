"""Accounts: staff and young people sign in to the same place with different roles."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Enum, ForeignKey, Select, String, UniqueConstraint, false, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from portal_api.db.base import Base, CreatedMixin, IdMixin


class Role(StrEnum):
    young_person = "young_person"
    personal_adviser = "personal_adviser"
    manager = "manager"
    admin = "admin"


STAFF_ROLES = frozenset({Role.personal_adviser, Role.manager, Role.admin})
STAFF_ROLE_NAMES = tuple(r.value for r in STAFF_ROLES)
# The roles that hold a caseload, answer young people's messages and can cover for each other.
CASEWORK_ROLES = frozenset({Role.personal_adviser, Role.manager})


class User(IdMixin, CreatedMixin, Base):
    """Field names ``email``, ``hashed_password``, ``is_*`` are what fastapi-users expects.

    An account signs in with its email or its UK mobile number (a young person may have only
    one of them). Both are unique within a council, not across the deployment: one council must
    not learn, from a refusal, that an address belongs to a care leaver of another. Sign-in names
    the council when an address is used in more than one (see ``auth.service.login``).
    """

    __tablename__ = "user"
    __table_args__ = (
        # Column order gives the names uq_user_email and uq_user_mobile (naming convention).
        UniqueConstraint("email", "org_id"),
        UniqueConstraint("mobile", "org_id"),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    # Lower case (common.addresses); null for a young person who signs in with a mobile only.
    email: Mapped[str | None] = mapped_column(String(320))
    # E.164 (+447700900123); sign-in and password reset by SMS. Not ``phone``, which is the
    # number staff give young people to ring them on.
    mobile: Mapped[str | None] = mapped_column(String(20))
    hashed_password: Mapped[str] = mapped_column(String(1024))
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20))
    is_active: Mapped[bool] = mapped_column(default=True)
    is_superuser: Mapped[bool] = mapped_column(default=False)
    is_verified: Mapped[bool] = mapped_column(default=True)
    # Set only for role young_person: the record this account belongs to.
    # use_alter: young_person also points at user (its PA), so one of the two keys comes later.
    young_person_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("young_person.id", use_alter=True), unique=True
    )
    phone: Mapped[str | None] = mapped_column(String(40))
    password_changed_at: Mapped[datetime | None]
    # A manager who sees every young person in the organisation, whatever their teams. Said
    # explicitly: a manager whose last team is taken away sees nobody, never everybody.
    council_wide: Mapped[bool] = mapped_column(default=False, server_default=false())

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


class TeamMembership(Base):
    """Which teams a member of staff works in. A manager sees the young people of these teams (or,
    when ``council_wide``, the whole organisation); a manager in no team sees nobody."""

    __tablename__ = "team_membership"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"), primary_key=True)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("team.id"), primary_key=True, index=True)


def team_ids_of(user_id: uuid.UUID) -> Select[Any]:
    """Which teams this user is in, as a statement (or a subquery for ``IN``): the one definition
    that scope, "me", the reports and the young people's forms all use."""
    return select(TeamMembership.team_id).where(TeamMembership.user_id == user_id)


async def teams_of(session: AsyncSession, user_id: uuid.UUID) -> set[uuid.UUID]:
    """The ids of the teams this user is in (none for a young person or an administrator)."""
    return set(await session.scalars(team_ids_of(user_id)))


async def display_names(
    session: AsyncSession, user_ids: Collection[uuid.UUID | None]
) -> dict[uuid.UUID, str]:
    """The names shown for these users (senders, PAs, who did what), in one query for a page."""
    wanted = {i for i in user_ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return dict(rows.all())


class AccessToken(CreatedMixin, Base):
    """A signed-in session. Only a hash of the bearer token is stored, so a database leak signs
    nobody in; deleting the row signs the session out at once."""

    __tablename__ = "access_token"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    # For the idle timeout; written at most once a minute (null: not used since sign-in).
    last_used_at: Mapped[datetime | None]
    # A "shared phone" sign-in ends here, hours after it began, whatever its role allows (null:
    # the role's lifetimes only). Its cookie also dies with the browser (auth/cookie.py).
    expires_at: Mapped[datetime | None]


class TotpCredential(CreatedMixin, Base):
    """A member of staff's authenticator app (TOTP). The shared secret is stored encrypted with a
    key derived from the portal's secret key, and is shown once, while enrolling. Until
    ``confirmed_at`` is set (a code from the app was checked) it does not count as switched on.
    Deleting the row is the administrator's reset."""

    __tablename__ = "totp_credential"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    secret_encrypted: Mapped[str] = mapped_column(String(500))
    confirmed_at: Mapped[datetime | None]
    # The last 30-second time step whose code was accepted: a code (or an older one) never works
    # twice, so a code read over someone's shoulder is useless once it has been typed in.
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)


class PasswordReset(IdMixin, CreatedMixin, Base):
    """A "forgot my password" link: single use, short-lived, only a hash of its token stored."""

    __tablename__ = "password_reset"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class Invite(IdMixin, CreatedMixin, Base):
    """Young people never self-register: staff invite them, once, for 72 hours. The link goes to
    the young person (SMS or email, through the notification outbox); staff never see it. The
    account made from it signs in with the address it was sent to."""

    __tablename__ = "invite"

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    young_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("young_person.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(
        String(10), default="email", server_default="email"
    )  # sms, email
    email: Mapped[str | None] = mapped_column(String(320))
    mobile: Mapped[str | None] = mapped_column(String(20))
    # The outbox row that carries the link (its delivery state is the invite's).
    notification_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("notification_outbox.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
