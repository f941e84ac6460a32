"""The PA's list of what young people asked for, oldest first, within what they may see."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.db.base import utcnow
from portal_api.errors import InvalidState, NotFound
from portal_api.followups.schemas import FollowUpRead
from portal_api.models import FollowUp, YoungPerson
from portal_api.people.scope import Access, audit_reads, get_young_person, visible


def _read(follow_up: FollowUp, person: YoungPerson) -> FollowUpRead:
    return FollowUpRead(
        id=follow_up.id,
        young_person_id=person.id,
        young_person_name=person.full_name,
        kind=follow_up.kind.value,
        subject=follow_up.subject,
        detail=follow_up.detail,
        created_at=follow_up.created_at,
        resolved_at=follow_up.resolved_at,
        resolution=follow_up.resolution,
    )


async def list_follow_ups(
    session: AsyncSession,
    actor: Actor,
    *,
    include_resolved: bool,
    young_person_id: uuid.UUID | None,
) -> list[FollowUpRead]:
    query = (
        select(FollowUp, YoungPerson)
        .join(YoungPerson, YoungPerson.id == FollowUp.young_person_id)
        .where(visible(actor, Access.read))
        .order_by(FollowUp.created_at)
        .limit(500)
    )
    if not include_resolved:
        query = query.where(FollowUp.resolved_at.is_(None))
    if young_person_id is not None:
        query = query.where(FollowUp.young_person_id == young_person_id)
    rows = (await session.execute(query)).all()
    audit.record(session, actor, "follow_ups.list", count=len(rows))
    await audit_reads(session, actor, (p.id for _, p in rows), "follow_up.read")
    return [_read(f, p) for f, p in rows]


async def resolve(
    session: AsyncSession, actor: Actor, follow_up_id: uuid.UUID, resolution: str
) -> FollowUpRead:
    follow_up = await session.get(FollowUp, follow_up_id)
    if follow_up is None or follow_up.org_id != actor.user.org_id:
        raise NotFound("No follow-up with that id.")
    # Read scope first (not found if they cannot see the young person), then write scope.
    person = await get_young_person(
        session, actor, follow_up.young_person_id, Access.write, audit_action="follow_up.change"
    )
    if follow_up.resolved_at is not None:
        raise InvalidState("This follow-up is already resolved.")
    follow_up.resolved_at = utcnow()
    follow_up.resolved_by_id = actor.user.id
    follow_up.resolution = resolution
    audit.record(session, actor, "follow_up.resolve", young_person_id=person.id)
    return _read(follow_up, person)
