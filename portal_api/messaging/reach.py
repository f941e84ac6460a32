"""Who a young person can reach right now: their PA, whether they are away and who covers, the
office and its hours, the emergency number. Someone who cannot answer (disabled, no longer doing
casework, unable to read the record) counts as nobody (people.scope.can_answer_for)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.time import LONDON
from portal_api.db.base import utcnow
from portal_api.messaging import hours
from portal_api.messaging.schemas import ReachNow, ReachParams
from portal_api.models import Availability, Organisation, User, YoungPerson
from portal_api.people import scope

# --- who can be reached now ---------------------------------------------------------------------


async def _away(
    session: AsyncSession, user_id: uuid.UUID | None, now: datetime
) -> Availability | None:
    if user_id is None:
        return None
    availability = await session.get(Availability, user_id)
    if availability and availability.away_until and availability.away_until > now:
        return availability
    return None


@dataclass(frozen=True)
class Office:
    name: str
    office_phone: str | None
    out_of_hours_phone: str | None
    opens: str
    closes: str


@dataclass(frozen=True)
class StaffContact:
    name: str
    phone: str | None


def reach_from(
    office: Office,
    pa: StaffContact | None,
    away_until: datetime | None,
    cover: StaffContact | None,
    now: datetime,
) -> ReachNow:
    """Who a young person can reach right now, and how, in plain words."""
    emergency = office.out_of_hours_phone
    if not hours.in_office_hours(now, office.opens, office.closes):
        opens = hours.next_opening(now, office.opens, office.closes)
        return ReachNow(
            who="out_of_hours",
            name="Emergency duty team",
            phone=emergency,
            code="out_of_hours",
            params=ReachParams(
                name=None,
                pa_name=pa.name if pa else None,
                until=None,
                phone=emergency,
                opens_at=opens,
            ),
            message=(
                "The office is closed. In an emergency, call the emergency duty team. "
                f"Your PA will reply from {opens:%A %-d %B at %H:%M}."
            ),
            in_office_hours=False,
            emergency_phone=emergency,
        )
    away = away_until is not None and away_until > now
    if pa is not None and not away:
        return ReachNow(
            who="personal_adviser",
            name=pa.name,
            phone=pa.phone or office.office_phone,
            code="pa_in_hours",
            params=ReachParams(
                name=pa.name,
                pa_name=pa.name,
                until=None,
                phone=pa.phone or office.office_phone,
                opens_at=None,
            ),
            message=f"{pa.name} is your PA. Message or call them.",
            in_office_hours=True,
            emergency_phone=emergency,
        )
    back = f" until {away_until.astimezone(LONDON):%A %-d %B}" if away and away_until else ""
    if cover is not None and pa is not None:
        return ReachNow(
            who="cover",
            name=cover.name,
            phone=cover.phone or office.office_phone,
            code="cover_in_hours",
            params=ReachParams(
                name=cover.name,
                pa_name=pa.name,
                until=away_until if away else None,
                phone=cover.phone or office.office_phone,
                opens_at=None,
            ),
            message=f"{pa.name} is away{back}. {cover.name} is covering.",
            in_office_hours=True,
            emergency_phone=emergency,
        )
    return ReachNow(
        who="duty_team",
        name="Duty team",
        phone=office.office_phone,
        code="duty_team",
        params=ReachParams(
            name=None,
            pa_name=pa.name if pa else None,
            until=away_until if away else None,
            phone=office.office_phone,
            opens_at=None,
        ),
        message=(f"{pa.name} is away{back}. " if pa else "")
        + "The duty team will answer your messages.",
        in_office_hours=True,
        emergency_phone=emergency,
    )


def office_of(org: Organisation) -> Office:
    return Office(
        org.name, org.office_phone, org.out_of_hours_phone, org.office_opens, org.office_closes
    )


# The PA, their absence and their cover, as who_answers finds them.
Answers = tuple[User | None, Availability | None, User | None]


async def who_answers(session: AsyncSession, person: YoungPerson, now: datetime) -> Answers:
    """The young person's PA, their absence, and who covers, each counting only if they can answer:
    a PA or cover who is disabled, no longer does casework or cannot read the record is nobody,
    so the message goes to the duty queue and the team's managers instead of into a void."""
    pa = await session.get(User, person.personal_adviser_id) if person.personal_adviser_id else None
    if not await scope.can_answer_for(session, pa, person):
        return None, None, None
    assert pa is not None
    away = await _away(session, pa.id, now)
    cover = await session.get(User, away.cover_id) if away and away.cover_id else None
    if cover is not None and not await scope.can_answer_for(session, cover, person):
        cover = None
    return pa, away, cover


async def reach_now(
    session: AsyncSession, person: YoungPerson, org: Organisation, answers: Answers | None = None
) -> ReachNow:
    """``answers``: who_answers' finding earlier in the same request (a send's recipients), so
    the PA, absence and cover are not looked up twice."""
    now = utcnow()
    pa, away, cover = answers if answers is not None else await who_answers(session, person, now)
    return reach_from(
        office_of(org),
        StaffContact(pa.display_name, pa.phone) if pa else None,
        away.away_until if away else None,
        StaffContact(cover.display_name, cover.phone) if cover else None,
        now,
    )
