"""Who a young person can reach right now: their PA, whether they are away and who covers, the
office and its hours, the emergency number. Someone who cannot answer (disabled, no longer doing
casework, unable to read the record) counts as nobody (people.scope.can_answer_for)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Uuid, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from portal_api.common.time import LONDON
from portal_api.db import kept_rows, reads_version
from portal_api.db.base import utcnow
from portal_api.messaging import hours
from portal_api.messaging.schemas import ReachNow, ReachParams
from portal_api.models import Availability, Organisation, User, YoungPerson
from portal_api.people import scope

# --- who can be reached now ---------------------------------------------------------------------


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
    _, answers = await org_and_who_answers(session, person, now)
    return answers


@functools.cache
def _org_and_answers_select() -> Select[Organisation, User, Availability, User]:
    """The organisation, the PA, their availability and its cover in one round trip, built once
    (``:org_id``, ``:pa_id``; no PA, availability or cover gives None in its place)."""
    pa, cover = aliased(User, name="pa"), aliased(User, name="cover")
    return (
        select(Organisation, pa, Availability, cover)
        .select_from(Organisation)
        .outerjoin(pa, pa.id == bindparam("pa_id", type_=Uuid()))
        .outerjoin(Availability, Availability.user_id == pa.id)
        .outerjoin(cover, cover.id == Availability.cover_id)
        .where(Organisation.id == bindparam("org_id", type_=Uuid()))
    )


async def org_and_who_answers(
    session: AsyncSession, person: YoungPerson, now: datetime
) -> tuple[Organisation, Answers]:
    """The young person's organisation and ``who_answers``, read in one query."""
    org, pa, availability, found_cover = await _org_and_answers(session, person)
    cover: User | None = found_cover
    if not await scope.can_answer_for(session, pa, person):
        return org, (None, None, None)
    assert pa is not None
    away = availability if availability and _is_away(availability, now) else None
    if away is None or away.cover_id is None:
        cover = None
    if cover is not None and not await scope.can_answer_for(session, cover, person):
        cover = None
    return org, (pa, away, cover)


async def _org_and_answers(session: AsyncSession, person: YoungPerson) -> tuple[Any, ...]:
    """``_org_and_answers_select``'s row: as this worker kept it while no write has moved
    ``all`` (a PA's account, absence or cover, the council's settings: db/kept_rows.py), else
    read (and kept)."""
    kept, seen = kept_rows.kept_rows(session), kept_rows.seen(session)
    name = kept_rows.who_answers_name(person.org_id, person.personal_adviser_id)
    if kept is not None and seen is not None and kept_rows.keepable(session):
        snapshots = kept.get(name, seen)
        if snapshots is not None:
            return tuple(kept_rows.revive(session, snapshot) for snapshot in snapshots)
    params = {"org_id": person.org_id, "pa_id": person.personal_adviser_id}
    row = tuple((await session.execute(_org_and_answers_select(), params)).one())
    if kept is not None and kept_rows.keepable(session):
        snapshots = tuple(kept_rows.snapshot(obj) for obj in row)
        if all(snap is not None or obj is None for snap, obj in zip(snapshots, row, strict=True)):
            kept.put(name, (reads_version.ALL,), seen, snapshots)
    return row


def _is_away(availability: Availability, now: datetime) -> bool:
    return availability.away_until is not None and availability.away_until > now


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
