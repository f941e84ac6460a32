"""Whose figures, as of when: the checks on ``as_of``, ``team`` and ``adviser``.

A personal adviser sees only their own figures; a manager those of their teams (or the whole
organisation when council-wide; a manager in no team who is not council-wide sees no one). A team or adviser the caller may not ask about is
"not found", as everywhere else, so its existence does not leak.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.actor import Actor
from portal_api.common.time import london_date, today
from portal_api.errors import InvalidInput, NotFound
from portal_api.models import Organisation, Role, Team, User, teams_of
from portal_api.people.schemas import StaffRef, TeamRef
from portal_api.people.scope import reads_team, reads_whole_council
from portal_api.reports.measures.facts import ScopeFilter
from portal_api.reports.schemas import Scope

CASELOAD_ROLES = (Role.personal_adviser, Role.manager)


@dataclass(frozen=True)
class Resolved:
    filter: ScopeFilter
    scope: Scope
    organisation: Organisation


async def organisation_of(session: AsyncSession, actor: Actor) -> Organisation:
    org = await session.get(Organisation, actor.user.org_id)
    assert org is not None
    return org


# Figures replay imported history for any date; this only keeps the calendar arithmetic (12
# months back, 25th birthdays) inside what a date can hold.
EARLIEST = date(1900, 1, 1)


def started_on(org: Organisation) -> date:
    """The day the organisation started using the portal, in England: what only the portal
    records (local-offer responses, entitlements, messages, concerns) starts here."""
    return london_date(org.created_at)


def check_as_of(as_of: date | None) -> date:
    """Any date up to today: before go-live the figures come from imported history."""
    on = today()
    if as_of is None:
        return on
    if as_of > on:
        raise InvalidInput("query.as_of", f"is in the future; figures go up to today ({on})")
    if as_of < EARLIEST:
        raise InvalidInput("query.as_of", f"is before {EARLIEST}")
    return as_of


async def resolve(
    session: AsyncSession,
    actor: Actor,
    *,
    team_id: uuid.UUID | None,
    adviser_id: uuid.UUID | None,
) -> Resolved:
    org = await organisation_of(session, actor)
    if actor.role is Role.personal_adviser:
        if team_id is not None or adviser_id not in (None, actor.user.id):
            raise NotFound("A personal adviser sees their own figures only.")
        me = StaffRef(id=actor.user.id, name=actor.user.display_name)
        return Resolved(
            ScopeFilter(actor, adviser_id=actor.user.id),
            Scope(level="adviser", team=None, adviser=me),
            org,
        )
    mine = await teams_of(session, actor.user.id)
    team_ref: TeamRef | None = None
    adviser_ref: StaffRef | None = None
    if team_id is not None:
        team = await session.get(Team, team_id)
        if team is None or team.org_id != org.id or not reads_team(actor.user, mine, team.id):
            raise NotFound("No team with that id in what you can see.")
        team_ref = TeamRef(id=team.id, name=team.name)
    if adviser_id is not None:
        adviser = await session.get(User, adviser_id)
        if adviser is None or adviser.org_id != org.id or adviser.role not in CASELOAD_ROLES:
            raise NotFound("No personal adviser with that id in what you can see.")
        if not reads_whole_council(actor.user) and not mine & await teams_of(session, adviser.id):
            raise NotFound("No personal adviser with that id in what you can see.")
        adviser_ref = StaffRef(id=adviser.id, name=adviser.display_name)
    level = "adviser" if adviser_ref else "team" if team_ref else "organisation"
    return Resolved(
        ScopeFilter(actor, team_id=team_id, adviser_id=adviser_id),
        Scope(level=level, team=team_ref, adviser=adviser_ref),
        org,
    )
