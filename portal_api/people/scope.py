"""The one place that decides which young people an actor may see or change (DESIGN.md, roles).

- young person: themselves;
- personal adviser: their caseload; young people in their teams for duty cover, to read and
  message only (every such read is audited as duty cover);
- manager: everyone in their teams, or the whole organisation when they belong to no team;
- admin: no case records at all;
- anyone in another organisation: never.

Out of scope is "not found" (404), so a record's existence never leaks. A role that may never use a
route gets 403; a member of staff who can see a record but not change it also gets 403.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Path
from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.errors import Forbidden, NotFound
from portal_api.models import Role, TeamMembership, YoungPerson, team_ids_of

# The path parameter of every young-person route: an id, or "me" for a young person's own record.
YoungPersonId = Annotated[
    str, Path(description="a young person's id, or `me` for a young person's own record")
]


class Access(StrEnum):
    read = "read"  # see the record; for a PA this includes duty cover in their teams
    write = "write"  # change the record: a PA's own caseload, a manager's teams


def _in_my_teams(actor: Actor) -> ColumnElement[bool]:
    return YoungPerson.team_id.in_(team_ids_of(actor.user.id))


def _manager_has_no_team(actor: Actor) -> ColumnElement[bool]:
    return ~exists().where(TeamMembership.user_id == actor.user.id)


def visible(actor: Actor, access: Access = Access.read) -> ColumnElement[bool]:
    """A WHERE clause over ``YoungPerson`` for what this actor may see (read) or change (write)."""
    user = actor.user
    same_org = YoungPerson.org_id == user.org_id
    match user.role:
        case Role.young_person:
            if user.young_person_id is None:
                return false()
            return and_(same_org, YoungPerson.id == user.young_person_id)
        case Role.personal_adviser:
            caseload = YoungPerson.personal_adviser_id == user.id
            if access is Access.write:
                return and_(same_org, caseload)
            return and_(same_org, or_(caseload, _in_my_teams(actor)))
        case Role.manager:
            return and_(same_org, or_(_manager_has_no_team(actor), _in_my_teams(actor)))
        case _:
            return false()


def is_duty_cover(actor: Actor, young_person: YoungPerson) -> bool:
    return actor.role is Role.personal_adviser and young_person.personal_adviser_id != actor.user.id


async def get_young_person(
    session: AsyncSession,
    actor: Actor,
    young_person_id: uuid.UUID | str,
    access: Access = Access.read,
    *,
    audit_action: str | None,
) -> YoungPerson:
    """Load a young person the actor may see, or raise NotFound; audit every staff read.

    ``young_person_id`` may be ``"me"`` for a young person. Write access that fails where read
    access holds is Forbidden: the record's existence is no secret to someone who can read it.
    ``audit_action`` is the event a member of staff's access leaves (``"plan.read"``,
    ``"follow_up.change"``), or None where the service records its own, fuller event.
    """
    found = await session.execute(scoped_select(actor, young_person_id))
    young_person: YoungPerson | None = found.scalar_one_or_none()
    if young_person is None:
        raise NotFound(NOT_FOUND)
    if access is Access.write and not await _can_write(session, actor, young_person):
        raise Forbidden(
            "You can read this record for duty cover, but only their own personal adviser "
            "or a manager can change it."
        )
    if audit_action:
        audit_read(session, actor, young_person, audit_action)
    return young_person


def audit_read(session: AsyncSession, actor: Actor, young_person: YoungPerson, action: str) -> None:
    """Every staff read of a young person's record leaves an event the young person can see."""
    if actor.user.is_staff:
        audit.record(
            session,
            actor,
            action,
            young_person_id=young_person.id,
            duty_cover=is_duty_cover(actor, young_person),
        )


NOT_FOUND = "No young person with that id in what you can see."


def scoped_select(actor: Actor, young_person_id: uuid.UUID | str, *columns: Any) -> Select[Any]:
    """``SELECT YoungPerson, *columns`` for one young person, limited to what the actor may see.
    Hot paths add their own columns so scope, record and what they need come in one query."""
    if actor.role is Role.admin:
        raise Forbidden("Administrators do not see case records.")
    yp_id = _resolve(actor, young_person_id)
    return select(YoungPerson, *columns).where(YoungPerson.id == yp_id, visible(actor, Access.read))


async def _can_write(session: AsyncSession, actor: Actor, young_person: YoungPerson) -> bool:
    if actor.role is Role.young_person:
        return False
    if actor.role is Role.personal_adviser:
        return young_person.personal_adviser_id == actor.user.id
    return True  # a manager who can read a record in their teams can change it


def _resolve(actor: Actor, young_person_id: uuid.UUID | str) -> uuid.UUID:
    if young_person_id == "me":
        if actor.user.young_person_id is None:
            raise NotFound("'me' is only for a young person's own account.")
        return actor.user.young_person_id
    if isinstance(young_person_id, uuid.UUID):
        return young_person_id
    try:
        return uuid.UUID(young_person_id)
    except ValueError:
        raise NotFound(NOT_FOUND) from None


__all__ = ["Access", "audit_read", "get_young_person", "is_duty_cover", "scoped_select", "visible"]
