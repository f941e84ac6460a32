"""A member of staff away, and who covers: a cover must be an active PA or manager who can read
every young person of the absent PA's caseload, so no young person's message reaches nobody."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.actor import Actor
from portal_api.db.base import utcnow
from portal_api.errors import InvalidInput
from portal_api.messaging.schemas import AvailabilitySet
from portal_api.models import CASEWORK_ROLES, Availability, User, YoungPerson, teams_of
from portal_api.people import scope


async def check_cover(session: AsyncSession, actor: Actor, cover_id: uuid.UUID) -> None:
    """A colleague covering an absence must be able to answer every young person of the absent
    PA's caseload: active, a PA or manager, and able to read each record."""
    cover = await session.get(User, cover_id)
    if cover is None or cover.org_id != actor.user.org_id or not cover.is_staff:
        raise InvalidInput("cover_id", "no such colleague in your organisation")
    if cover.id == actor.user.id:
        raise InvalidInput("cover_id", "choose a colleague, not yourself")
    if not cover.is_active or cover.role not in CASEWORK_ROLES:
        raise InvalidInput(
            "cover_id", f"{cover.display_name} cannot cover: choose an active PA or manager"
        )
    caseload = (
        await session.execute(
            select(YoungPerson).where(
                YoungPerson.personal_adviser_id == actor.user.id, YoungPerson.closed_on.is_(None)
            )
        )
    ).scalars()
    cover_teams = await teams_of(session, cover.id)
    if any(not scope.reads_team(cover, cover_teams, p.team_id) for p in caseload):
        raise InvalidInput(
            "cover_id",
            f"{cover.display_name} cannot see all of your young people; "
            "choose a colleague in their team",
        )


async def set_availability(session: AsyncSession, actor: Actor, body: AvailabilitySet) -> None:
    """Away until a time, with a colleague covering: their young people see who to contact."""
    if body.away_until is not None and body.away_until.tzinfo is None:
        raise InvalidInput("away_until", "give a time zone, e.g. 2026-12-01T09:00:00Z")
    if body.cover_id is not None:
        await check_cover(session, actor, body.cover_id)
    availability = await session.get(Availability, actor.user.id)
    if availability is None:
        availability = Availability(user_id=actor.user.id)
        session.add(availability)
    availability.away_until, availability.cover_id = body.away_until, body.cover_id
    availability.note, availability.updated_at = body.note, utcnow()
