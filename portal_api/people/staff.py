"""The organisation's settings, its teams and its staff accounts (an administrator's work)."""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.auth import service as auth_service
from portal_api.common.actor import Actor
from portal_api.db.base import utcnow
from portal_api.errors import Conflict, InvalidInput, NotFound
from portal_api.models import (
    STAFF_ROLE_NAMES,
    Organisation,
    Role,
    Team,
    TeamMembership,
    User,
    YoungPerson,
)
from portal_api.people.schemas import (
    OrganisationRead,
    OrganisationUpdate,
    StaffCreate,
    StaffRead,
    StaffUpdate,
    TeamCreate,
    TeamRef,
)

# Settings that always have a value: null in a PATCH is a mistake, not "unset".
_REQUIRED_SETTINGS = frozenset(
    {"name", "plans_need_manager_approval", "brand_colour", "require_staff_mfa", "caseload_max"}
)
_CLOCK_SETTINGS = frozenset({"office_opens", "office_closes", "quiet_from", "quiet_until"})


async def get_organisation(session: AsyncSession, actor: Actor) -> OrganisationRead:
    org = await session.get(Organisation, actor.user.org_id)
    assert org is not None
    return OrganisationRead.model_validate(org)


async def update_organisation(
    session: AsyncSession, actor: Actor, data: OrganisationUpdate
) -> OrganisationRead:
    org = await session.get(Organisation, actor.user.org_id)
    assert org is not None
    changes = data.model_dump(exclude_unset=True)
    if changes.get("require_staff_mfa") and not org.require_staff_mfa:
        await auth_service.may_require_staff_mfa(session, actor)
    for key, value in changes.items():
        if value is None and (key in _REQUIRED_SETTINGS or key in _CLOCK_SETTINGS):
            raise InvalidInput(key, "cannot be cleared")
    # Checked before anything changes, so a refused PATCH leaves the organisation as it was.
    opens = changes.get("office_opens") or org.office_opens
    closes = changes.get("office_closes") or org.office_closes
    if closes <= opens:  # "HH:MM" strings sort as times
        field = "office_closes" if "office_closes" in changes else "office_opens"
        raise InvalidInput(field, f"the office must close after it opens ({opens})")
    quiet_from = changes.get("quiet_from") or org.quiet_from
    quiet_until = changes.get("quiet_until") or org.quiet_until
    if quiet_from == quiet_until:
        field = "quiet_until" if "quiet_until" in changes else "quiet_from"
        raise InvalidInput(field, "quiet hours must start and end at different times")
    for key, value in changes.items():
        setattr(org, key, value)
    org.updated_at = utcnow()
    audit.record(session, actor, "organisation.change", fields=sorted(data.model_fields_set))
    return OrganisationRead.model_validate(org)


async def list_teams(session: AsyncSession, actor: Actor) -> list[TeamRef]:
    rows = await session.execute(
        select(Team).where(Team.org_id == actor.user.org_id).order_by(Team.name)
    )
    return [TeamRef.model_validate(t) for t in rows.scalars()]


async def find_or_create_team(session: AsyncSession, org_id: uuid.UUID, name: str) -> Team:
    team = await session.scalar(select(Team).where(Team.org_id == org_id, Team.name == name))
    if team is None:
        team = Team(org_id=org_id, name=name)
        session.add(team)
        await session.flush()
    return team


async def create_team(session: AsyncSession, actor: Actor, data: TeamCreate) -> TeamRef:
    exists = await session.scalar(
        select(Team.id).where(Team.org_id == actor.user.org_id, Team.name == data.name)
    )
    if exists:
        raise Conflict(f"There is already a team called {data.name!r}.")
    team = await find_or_create_team(session, actor.user.org_id, data.name)
    audit.record(session, actor, "team.create", team_id=str(team.id))
    return TeamRef.model_validate(team)


async def _team_ids(
    session: AsyncSession, user_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    rows = await session.execute(
        select(TeamMembership.user_id, TeamMembership.team_id).where(
            TeamMembership.user_id.in_(user_ids)
        )
    )
    by_user: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for user_id, team_id in rows:
        by_user[user_id].append(team_id)
    return by_user


def _staff_read(
    user: User, team_ids: list[uuid.UUID], has_sign_in_code: bool | None = None
) -> StaffRead:
    return StaffRead(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=user.role,
        is_active=user.is_active,
        team_ids=sorted(team_ids),
        phone=user.phone,
        council_wide=user.council_wide,
        has_sign_in_code=has_sign_in_code,
    )


async def list_staff(session: AsyncSession, actor: Actor) -> list[StaffRead]:
    users = list(
        (
            await session.execute(
                select(User)
                .where(User.org_id == actor.user.org_id, User.role.in_(STAFF_ROLE_NAMES))
                .order_by(User.display_name)
            )
        ).scalars()
    )
    ids = [u.id for u in users]
    teams = await _team_ids(session, ids)
    if actor.role is not Role.admin:
        # Everyone on staff reads this list (to choose who covers); who has a code is the
        # administrator's business alone.
        return [_staff_read(u, teams.get(u.id, [])) for u in users]
    with_code = await auth_service.with_sign_in_code(session, ids)
    return [_staff_read(u, teams.get(u.id, []), u.id in with_code) for u in users]


async def _set_teams(
    session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID, team_ids: list[uuid.UUID]
) -> None:
    wanted = set(team_ids)
    if wanted:
        known = set(
            (
                await session.execute(
                    select(Team.id).where(Team.org_id == org_id, Team.id.in_(wanted))
                )
            ).scalars()
        )
        if known != wanted:
            raise InvalidInput("team_ids", "contains a team that is not in your organisation")
    await session.execute(delete(TeamMembership).where(TeamMembership.user_id == user_id))
    session.add_all(TeamMembership(user_id=user_id, team_id=t) for t in sorted(wanted))


async def create_staff(session: AsyncSession, actor: Actor, data: StaffCreate) -> StaffRead:
    user = await auth_service.create_user(
        session,
        org_id=actor.user.org_id,
        email=data.email,
        password=data.password,
        display_name=data.display_name,
        role=data.role,
        phone=data.phone,
    )
    if data.council_wide and data.role is not Role.manager:
        raise InvalidInput("council_wide", "only a manager can be council-wide")
    user.council_wide = data.council_wide
    await _set_teams(session, actor.user.org_id, user.id, data.team_ids)
    audit.record(session, actor, "staff.create", staff_id=str(user.id), role=data.role.value)
    return _staff_read(user, sorted(set(data.team_ids)), has_sign_in_code=False)


async def update_staff(
    session: AsyncSession, actor: Actor, staff_id: uuid.UUID, data: StaffUpdate
) -> StaffRead:
    user = await session.get(User, staff_id)
    if user is None or user.org_id != actor.user.org_id or not user.is_staff:
        raise NotFound("No member of staff with that id.")
    changes = data.model_dump(exclude_unset=True)
    await _may_change_account(session, actor, user, changes)
    if "team_ids" in changes:
        await _set_teams(session, user.org_id, user.id, changes.pop("team_ids") or [])
    if "is_active" in changes:
        await auth_service.set_active(session, user, bool(changes.pop("is_active")))
    for key, value in changes.items():
        if value is None and key != "phone":
            raise InvalidInput(key, "cannot be cleared")
        setattr(user, key, value)
    await session.flush()
    audit.record(
        session, actor, "staff.change", staff_id=str(user.id), fields=sorted(data.model_fields_set)
    )
    teams = await _team_ids(session, [user.id])
    with_code = await auth_service.with_sign_in_code(session, [user.id])
    return _staff_read(user, teams.get(user.id, []), user.id in with_code)


async def _may_change_account(
    session: AsyncSession, actor: Actor, user: User, changes: dict[str, object]
) -> None:
    """Refuse the changes that would lock someone out of their own work or leave young people's
    messages reaching nobody (DESIGN.md, roles)."""
    for key in ("role", "is_active", "council_wide"):
        if key in changes and changes[key] is None:
            raise InvalidInput(key, "cannot be cleared")
    role = changes.get("role") or user.role
    new_role = role is not user.role
    disabling = changes.get("is_active") is False and user.is_active
    if user.id == actor.user.id:
        # An administrator who could make themselves a manager would undo "administrators see
        # no case records"; another administrator must do it.
        for key in ("role", "is_active", "council_wide"):
            if key in changes and changes[key] != getattr(user, key):
                raise InvalidInput(key, "you cannot change this on your own account")
    council_wide = changes.get("council_wide", user.council_wide and role is Role.manager)
    if council_wide and role is not Role.manager:
        raise InvalidInput("council_wide", "only a manager can be council-wide")
    changes["council_wide"] = council_wide
    if (new_role or disabling) and (held := await caseload_size(session, user.id)):
        what = "disable this account" if disabling else "change this account's role"
        raise Conflict(
            f"{user.display_name} is the personal adviser of {held} young "
            f"{'person' if held == 1 else 'people'}. Reallocate them to another adviser first, "
            f"then {what}; until then their messages would reach nobody.",
            caseload=held,
        )


async def caseload_size(session: AsyncSession, adviser_id: uuid.UUID) -> int:
    """How many open cases (not closed) this member of staff holds as personal adviser."""
    count = await session.scalar(
        select(func.count())
        .select_from(YoungPerson)
        .where(YoungPerson.personal_adviser_id == adviser_id, YoungPerson.closed_on.is_(None))
    )
    return int(count or 0)
