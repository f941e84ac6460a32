"""Allocation history from the import: who held the case in the case-management system, from when
to when, so the figures for dates before the import (``pa_allocated``, ``caseload``,
``pa_changes``) replay it (DOMAIN.md §8: "imported allocations count from their own start date
when the import gives one, else from the import").

The history is the case-management system's while the portal has none of its own: once a manager
has reallocated the young person in the portal, the portal's rows stand and a re-import only moves
today's allocation, as a file without history does.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.models import Allocation, YoungPerson
from portal_api.records.import_lines import ImportRecord

Row = tuple[uuid.UUID | None, uuid.UUID | None, date, date | None]


async def replay_allocations(
    session: AsyncSession,
    person: YoungPerson,
    record: ImportRecord,
    teams: dict[str, uuid.UUID],
    advisers: dict[str, uuid.UUID],
    *,
    new: bool,
    on: date,
) -> bool:
    """Write the record's allocation history if it differs from what is stored. True if changed.

    Leaves ``person.team_id`` and ``personal_adviser_id`` naming the allocation open after the
    history (the open entry, or today's from ``on`` when every entry is closed), so the caller's
    reallocation to the record's team and PA changes nothing more."""
    if not record.allocations:
        return False
    wanted: list[Row] = [
        (
            teams[a.team],
            advisers[a.personal_adviser_email.lower()] if a.personal_adviser_email else None,
            a.started_on,
            a.ended_on,
        )
        for a in sorted(record.allocations, key=lambda a: a.started_on)
    ]
    stored: list[Allocation] = (
        []
        if new
        else list(
            (
                await session.execute(
                    select(Allocation)
                    .where(Allocation.young_person_id == person.id)
                    .order_by(Allocation.started_on)
                )
            ).scalars()
        )
    )
    if any(row.recorded_by_id is not None for row in stored):
        return False
    cutoff = wanted[-1][3]
    history = [
        (row.team_id, row.adviser_id, row.started_on, row.ended_on)
        for row in stored
        if cutoff is None or row.started_on < cutoff
    ]
    if history == wanted:
        return False
    if stored:
        await session.execute(delete(Allocation).where(Allocation.young_person_id == person.id))
    rows = list(wanted)
    if cutoff is not None:
        # Every entry closed: today's allocation (the record's team and PA) starts at the import.
        current_team = teams[record.team]
        current_adviser = (
            advisers[record.personal_adviser_email.lower()]
            if record.personal_adviser_email
            else None
        )
        rows.append((current_team, current_adviser, max(on, cutoff), None))
    for team_id, adviser_id, started_on, ended_on in rows:
        session.add(
            Allocation(
                young_person_id=person.id,
                team_id=team_id,
                adviser_id=adviser_id,
                started_on=started_on,
                ended_on=ended_on,
                recorded_by_id=None,
            )
        )
    person.team_id, person.personal_adviser_id = rows[-1][0], rows[-1][1]
    return True
