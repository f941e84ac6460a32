"""The one place that decides which young people an actor may see or change (DESIGN.md, roles).

- young person: themselves;
- personal adviser: their caseload; young people in their teams for duty cover, to read and
  message only (every such read is audited as duty cover);
- manager: everyone in their teams, or the whole organisation when explicitly council-wide
  (a manager in no team who is not council-wide sees nobody);
- admin: no case records at all;
- anyone in another organisation: never.

Out of scope is "not found" (404), so a record's existence never leaks. A role that may never use a
route gets 403; a member of staff who can see a record but not change it also gets 403.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Path
from sqlalchemy import ColumnElement, Select, and_, bindparam, exists, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.auth.dependencies import CurrentActor
from portal_api.common.actor import Actor
from portal_api.db import kept_rows, reads_version
from portal_api.db.session import SessionDep
from portal_api.db.sql import one_of
from portal_api.errors import Forbidden, NotFound
from portal_api.models import (
    CASEWORK_ROLES,
    Role,
    TeamMembership,
    User,
    YoungPerson,
    team_ids_of,
    teams_of,
)

# The path parameter of every young-person route: an id, or "me" for a young person's own record.
YoungPersonId = Annotated[
    str, Path(description="a young person's id, or `me` for a young person's own record")
]


class Access(StrEnum):
    read = "read"  # see the record; for a PA this includes duty cover in their teams
    write = "write"  # change the record: a PA's own caseload, a manager's teams


def _in_my_teams(actor: Actor) -> ColumnElement[bool]:
    return YoungPerson.team_id.in_(team_ids_of(actor.user.id))


def reads_whole_council(user: User) -> bool:
    """A council-wide manager sees every young person in the organisation, whatever their teams."""
    return user.role is Role.manager and user.council_wide


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
            if reads_whole_council(user):
                return same_org
            return and_(same_org, _in_my_teams(actor))
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
    if actor.role is Role.young_person and actor.user.young_person_id is not None:
        # Their own record (or nothing): the statement ``visible`` gives them, built once.
        young_person = await _own_record(session, actor, _resolve(actor, young_person_id))
    else:
        found = await session.execute(scoped_select(actor, young_person_id))
        young_person = found.scalar_one_or_none()
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


@functools.cache
def _own_record_select() -> Select[YoungPerson]:
    """``scoped_select`` for a young person (``visible``: their own record, in their own
    organisation) with every value a bound parameter, so it is built once per process."""
    return select(YoungPerson).where(
        YoungPerson.id == bindparam("yp_id"),
        YoungPerson.org_id == bindparam("own_org_id"),
        YoungPerson.id == bindparam("own_young_person_id"),
    )


async def _own_record(
    session: AsyncSession, actor: Actor, young_person_id: uuid.UUID | str
) -> YoungPerson | None:
    """A young person's own record: as this worker kept it while no write has moved its versions
    (db/kept_rows.py), else read (and kept)."""
    own_id = actor.user.young_person_id
    assert own_id is not None
    kept, seen = kept_rows.kept_rows(session), kept_rows.seen(session)
    name = kept_rows.own_record_name(own_id)
    # Served only before this request writes: after, its own writes must be read back.
    if (
        kept is not None
        and seen is not None
        and young_person_id == own_id
        and kept_rows.keepable(session)
    ):
        found: YoungPerson | None = kept_rows.revive(session, kept.get(name, seen))
        if found is not None:
            return found
    params = {
        "yp_id": young_person_id,
        "own_org_id": actor.user.org_id,
        "own_young_person_id": own_id,
    }
    young_person = (await session.execute(_own_record_select(), params)).scalar_one_or_none()
    if kept is not None and young_person is not None and kept_rows.keepable(session):
        snapshot = kept_rows.snapshot(young_person)
        if snapshot is not None:
            keys = (reads_version.ALL, reads_version.record_key(own_id))
            kept.put(name, keys, seen, snapshot)
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


async def audit_reads(
    session: AsyncSession, actor: Actor, young_person_ids: Iterable[uuid.UUID], action: str
) -> None:
    """A list that shows case details of several young people leaves one read event per young
    person shown, as opening each record would: their access log shows every look."""
    ids = set(young_person_ids)
    if not ids or not actor.user.is_staff:
        return
    people = await session.execute(select(YoungPerson).where(YoungPerson.id.in_(ids)))
    for young_person in sorted(people.scalars(), key=lambda p: str(p.id)):
        audit_read(session, actor, young_person, action)


# --- the young person of a route ---------------------------------------------------------------
# Handlers take the young person of the path's ``{yp}`` already loaded and checked, so no route can
# forget scope or its audit event. Each route that shows a young person's record to staff names its
# own audit action (``plan.read``), and their access log reads it; a route that changes or acts on
# the record leaves the audit event to its service, which records a fuller one.


def young_person_for(
    access: Access, audit_action: str | None = None, *, young_person_reads: bool = False
) -> Any:
    """A dependency that hands the handler the young person of ``{yp}`` (``get_young_person``):
    404 outside the actor's scope, 403 when they may read but ``access`` is write.

    ``young_person_reads``: the young person themselves may use a write route on their own record
    (asking for a plan review, downloading their records); staff still need write access.
    Use it inside ``Annotated``: ``Annotated[YoungPerson, young_person_for(Access.read, "plan.read")]``.
    """

    async def dependency(
        session: SessionDep, actor: CurrentActor, yp: YoungPersonId
    ) -> YoungPerson:
        needed = Access.read if young_person_reads and actor.role is Role.young_person else access
        return await get_young_person(session, actor, yp, needed, audit_action=audit_action)

    return Depends(dependency)


# A record the route changes (the service records what changed): a PA's own caseload, a manager's
# teams; duty cover and the young person get 403.
YoungPersonForWrite = Annotated[YoungPerson, young_person_for(Access.write)]
# A record the route acts on with read access, whose service records its own event (a young person
# answering, a member of staff flagging a message): no read event of its own.
YoungPersonToActOn = Annotated[YoungPerson, young_person_for(Access.read)]
# The young person on their own record, or staff who may change it.
YoungPersonThemselvesOrForWrite = Annotated[
    YoungPerson, young_person_for(Access.write, young_person_reads=True)
]


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


# --- who can answer a young person --------------------------------------------------------------
# A message must reach someone who can read it. A PA or cover who is disabled, no longer does
# casework (made an administrator) or cannot see the young person counts as nobody, so the
# message goes to the duty queue and the team's managers instead (messaging decides who is told).


def reads_team(user: User, their_teams: set[uuid.UUID], team_id: uuid.UUID | None) -> bool:
    """Whether casework staff (``their_teams`` being theirs) can read a young person of a team."""
    return reads_whole_council(user) or (team_id is not None and team_id in their_teams)


async def can_answer_for(session: AsyncSession, user: User | None, person: YoungPerson) -> bool:
    """Whether this member of staff can be told about a young person's messages and answer them:
    an active PA or manager of the young person's organisation who can read their record."""
    if (
        user is None
        or not user.is_active
        or user.role not in CASEWORK_ROLES
        or user.org_id != person.org_id
    ):
        return False
    if user.role is Role.personal_adviser and person.personal_adviser_id == user.id:
        return True  # a PA always reads their own caseload
    return reads_team(user, await teams_of(session, user.id), person.team_id)


def answers_for(staff: type[User] | Any, young_person_team_id: Any) -> ColumnElement[bool]:
    """``can_answer_for`` in SQL, for a cover (``staff``, an alias of User) of a young person in
    a team, inside a query over ``YoungPerson``."""
    return and_(
        staff.is_active.is_(True),
        one_of(staff.role, [r.value for r in CASEWORK_ROLES]),
        staff.org_id == YoungPerson.org_id,
        or_(
            and_(staff.role == Role.manager.value, staff.council_wide.is_(True)),
            exists().where(
                TeamMembership.user_id == staff.id, TeamMembership.team_id == young_person_team_id
            ),
        ),
    )


def answers_as_adviser(staff: type[User] | Any) -> ColumnElement[bool]:
    """A young person's own PA counts only while active and doing casework."""
    return and_(staff.is_active.is_(True), one_of(staff.role, [r.value for r in CASEWORK_ROLES]))


__all__ = [
    "Access",
    "YoungPersonForWrite",
    "YoungPersonThemselvesOrForWrite",
    "YoungPersonToActOn",
    "answers_as_adviser",
    "answers_for",
    "audit_read",
    "audit_reads",
    "can_answer_for",
    "get_young_person",
    "is_duty_cover",
    "reads_team",
    "reads_whole_council",
    "scoped_select",
    "visible",
    "young_person_for",
]
