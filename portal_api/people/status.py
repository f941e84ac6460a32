"""The legal status a PA works to for one young person: their care periods as the rules in
``legal_status`` read them, and the PA's recorded override over the computed status. Everything
that shows a young person's status (the list, the record, the caseload, the phone) asks here."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.models import CarePeriod, LegalStatus, YoungPerson
from portal_api.people import legal_status


def periods_of(young_person: YoungPerson) -> list[legal_status.CarePeriod]:
    return [legal_status.CarePeriod(p.start_on, p.end_on) for p in young_person.care_periods]


async def care_periods(
    session: AsyncSession, young_person_id: uuid.UUID
) -> list[legal_status.CarePeriod]:
    rows = await session.execute(
        select(CarePeriod.start_on, CarePeriod.end_on).where(
            CarePeriod.young_person_id == young_person_id
        )
    )
    return sorted((legal_status.CarePeriod(s, e) for s, e in rows.all()), key=lambda p: p.start)


def status_of(
    young_person: YoungPerson,
    periods: Sequence[legal_status.CarePeriod],
    as_of: date,
) -> LegalStatus | None:
    """The legal status a PA works to: their recorded override (with a reason), else computed."""
    if young_person.status_override is not None:
        return young_person.status_override
    return legal_status.computed_status(young_person.date_of_birth, periods, as_of)
