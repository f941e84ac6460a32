"""Statutory exports as CSV (UTF-8, a header row, CRLF line ends): the SSDA903 care leavers table
OC3 for a collection year, and Ofsted's Annex A List 9 as of today. Both are audited.

docs/measures.md explains the readings: the OC3 cohort and "around the birthday" window, and the
Annex A value labels.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.common.time import today
from portal_api.errors import InvalidInput
from portal_api.models import Gender, LegalStatus, StatusObservation, YoungPerson
from portal_api.people import legal_status
from portal_api.people.codes import ACCOMMODATION_TYPE, ACTIVITY, IN_TOUCH
from portal_api.people.scope import Access, visible
from portal_api.reports.measures import history, queries
from portal_api.reports.measures.facts import Need, ScopeFilter, paused_gc
from portal_api.reports.measures.outcome import young_person_on
from portal_api.reports.measures.status import StatusTimeline, timeline_of
from portal_api.reports.schemas import MeasureRow

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes
    rows: int
    headers: dict[str, str]


def _cell(value: str) -> str:
    """Free text that a spreadsheet would run as a formula (=, +, -, @) is shown as text."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def dmy(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


# --- the names behind a figure ----------------------------------------------------------------

MEASURE_HEADER = [
    "external_id",
    "full_name",
    "date_of_birth",
    "age",
    "status",
    "team",
    "personal_adviser",
    "met",
    "reason",
    "days_overdue",
]


def measure_csv(measure: str, on: date, rows: list[MeasureRow]) -> Export:
    """A drill-down as a spreadsheet: every row, in the order asked for."""
    lines = [
        [
            _cell(r.external_id),
            _cell(r.full_name),
            dmy(r.date_of_birth),
            str(r.age),
            r.status.value if r.status else "",
            _cell(r.team.name) if r.team else "",
            _cell(r.personal_adviser.name) if r.personal_adviser else "",
            "yes" if r.met else "no",
            _cell(r.reason),
            "" if r.days_overdue is None else str(r.days_overdue),
        ]
        for r in rows
    ]
    return Export(
        filename=f"{measure}-{on.isoformat()}.csv",
        content=to_csv(MEASURE_HEADER, lines),
        rows=len(lines),
        headers={},
    )


# --- SSDA903 OC3 ----------------------------------------------------------------------------

OC3_HEADER = ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"]
OC3_AGES = (17, 18, 19, 20, 21)
# Still looked after on these birthdays: not a care leaver in OC3 (DfE rule 1007).
OC3_LOOKED_AFTER_AGES = (17, 18)
OC3_STATUSES = (LegalStatus.relevant, LegalStatus.former_relevant)
# "Around the birthday": from 3 calendar months before it to 1 calendar month after it.
OC3_MONTHS_BEFORE = 3
OC3_MONTHS_AFTER = 1


def collection_year(year: int) -> tuple[date, date]:
    """The SSDA903 collection year ending 31 March ``year``."""
    return date(year - 1, 4, 1), date(year, 3, 31)


def latest_collection_year(on: date) -> int:
    """The latest collection year that has ended by ``on``."""
    return on.year if on >= date(on.year, 3, 31) else on.year - 1


def check_year(year: int | None) -> int:
    on = today()
    if year is None:
        return latest_collection_year(on)
    latest = on.year + 1 if on >= date(on.year, 4, 1) else on.year
    if not 2000 <= year <= latest:
        raise InvalidInput(
            "query.year",
            f"must be a collection year from 2000 to {latest} (the year ending 31 March {latest} "
            "is the latest that has started)",
        )
    return year


def oc3_birthday(date_of_birth: date, start: date, end: date) -> tuple[int, date] | None:
    """The 17th to 21st birthday that falls in the collection year, with the age, if any."""
    for age in OC3_AGES:
        birthday = legal_status.add_years(date_of_birth, age)
        if start <= birthday <= end:
            return age, birthday
    return None


def in_oc3_cohort(timeline: StatusTimeline, age: int, birthday: date) -> bool:
    """Relevant or former relevant on the birthday, and not still looked after on a 17th or 18th
    birthday. A care period with no end date reads as still looked after (fix it at source)."""
    if timeline.status_on(birthday) not in OC3_STATUSES:
        return False
    return not (age in OC3_LOOKED_AFTER_AGES and timeline.looked_after_on(birthday))


@dataclass(slots=True)
class Recorded:
    recorded_on: date
    created_at: datetime
    in_touch: str
    activity: str
    accommodation: str


def nearest_observation(observations: list[Recorded], birthday: date) -> Recorded | None:
    """The observation nearest the birthday within the window; on a tie the later date wins (it
    knows how the birthday went), then the later record."""
    first = legal_status.add_months(birthday, -OC3_MONTHS_BEFORE)
    last = legal_status.add_months(birthday, OC3_MONTHS_AFTER)
    inside = [o for o in observations if first <= o.recorded_on <= last]
    if not inside:
        return None
    return min(
        inside,
        key=lambda o: (
            abs((o.recorded_on - birthday).days),
            o.recorded_on < birthday,
            -o.created_at.timestamp(),
        ),
    )


async def ssda903_oc3(session: AsyncSession, actor: Actor, year: int | None) -> Export:
    year = check_year(year)
    with paused_gc():
        return await _ssda903_oc3(session, actor, year)


async def _ssda903_oc3(session: AsyncSession, actor: Actor, year: int) -> Export:
    start, end = collection_year(year)
    conditions = [
        visible(actor, Access.read),
        YoungPerson.date_of_birth >= legal_status.add_years(start, -OC3_AGES[-1]) - _DAY,
        YoungPerson.date_of_birth <= legal_status.add_years(end, -OC3_AGES[0]) + _DAY,
    ]
    ids = select(YoungPerson.id).where(*conditions)
    periods = history.care_periods(ids)
    conn = await queries.connection(session)
    people = (
        await conn.execute(
            select(
                YoungPerson.id,
                YoungPerson.external_id,
                YoungPerson.date_of_birth,
                YoungPerson.status_override,
                periods.c.periods,
            )
            .outerjoin(periods, periods.c.yp == YoungPerson.id)
            .where(*conditions)
        )
    ).all()
    observed: dict[uuid.UUID, list[Recorded]] = defaultdict(list)
    for yp, recorded_on, created_at, in_touch, activity, accommodation in (
        await conn.execute(
            select(
                StatusObservation.young_person_id,
                StatusObservation.recorded_on,
                StatusObservation.created_at,
                StatusObservation.in_touch,
                StatusObservation.activity,
                StatusObservation.accommodation,
            ).where(
                StatusObservation.young_person_id.in_(ids),
                StatusObservation.recorded_on >= legal_status.add_months(start, -OC3_MONTHS_BEFORE),
                StatusObservation.recorded_on <= legal_status.add_months(end, OC3_MONTHS_AFTER),
            )
        )
    ).all():
        observed[yp].append(Recorded(recorded_on, created_at, in_touch, activity, accommodation))
    rows: list[list[str]] = []
    missing = 0
    for yp, external_id, dob, override, care in people:
        found = oc3_birthday(dob, start, end)
        if found is None:
            continue
        age, birthday = found
        timeline = timeline_of(dob, care, override)
        if not in_oc3_cohort(timeline, age, birthday):
            continue
        observation = nearest_observation(observed.get(yp, []), birthday)
        if observation is None:
            # Left blank rather than guessed, so the gap shows here and in the DfE validator.
            missing += 1
            rows.append([external_id, dmy(dob), "", "", ""])
        else:
            rows.append(
                [
                    external_id,
                    dmy(dob),
                    observation.in_touch,
                    observation.activity,
                    observation.accommodation,
                ]
            )
    rows.sort(key=lambda r: r[0])
    audit.record(
        session,
        actor,
        "reports.export.ssda903_oc3",
        year=year,
        rows=len(rows),
        without_observation=missing,
    )
    return Export(
        filename=f"ssda903-oc3-{year}.csv",
        content=to_csv(OC3_HEADER, rows),
        rows=len(rows),
        headers={"X-Rows-Without-Observation": str(missing)},
    )


# --- Ofsted Annex A, List 9 -----------------------------------------------------------------

ANNEX_A_LIST_9_HEADER = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
    "Does the Child have a Disability",
    "Allocated Team",
    "Allocated Worker",
    "Allocated Personal Advisor",
    "Eligibility Category",
    "Latest Pathway Plan Review Date",
    "LA in Touch",
    "Latest Date of Contact",
    "Type of Accommodation",
    "Suitability of Accommodation",
    "Activity Status",
]
GENDER_LABELS = {
    Gender.male: "a) Male",
    Gender.female: "b) Female",
    Gender.not_stated: "c) Not stated/recorded",
    Gender.neither: "d) Neither",
}
YES_NO = {True: "a) Yes", False: "b) No"}
DISABILITY_LABELS = {True: "a) Yes", False: "b) No", None: "c) Unknown"}
ELIGIBILITY_LABELS = {
    LegalStatus.relevant: "a) Relevant child",
    LegalStatus.former_relevant: "b) Former relevant child",
    LegalStatus.qualifying: "c) Qualifying care leaver",
    LegalStatus.eligible: "d) Eligible child",
}
# In the SSDA903 order: a) Yes, b) No, c) Died, d) Refu, e) Nreq, f) Rhom.
IN_TOUCH_LABELS = {
    code: f"{letter}) {code.capitalize()}" for letter, code in zip("abcdef", IN_TOUCH, strict=True)
}
ACCOMMODATION_LABELS = {letter: f"{letter}: {name}" for letter, name in ACCOMMODATION_TYPE.items()}
SUITABILITY_LABELS = {"1": "a) Suitable", "2": "b) Unsuitable"}
ACTIVITY_LABELS = {code: f"{code}: {name}" for code, name in ACTIVITY.items() if code != "0"}


async def annex_a_list_9(session: AsyncSession, actor: Actor) -> Export:
    """Every care leaver in scope today (DOMAIN.md §8's "in scope"), one row each."""
    with paused_gc():
        return await _annex_a_list_9(session, actor)


async def _annex_a_list_9(session: AsyncSession, actor: Actor) -> Export:
    on = today()
    facts = await queries.load(
        session,
        ScopeFilter(actor),
        on,
        frozenset({Need.observations, Need.plans, Need.contacts}),
        core_pages=[],
        claimable_pages=[],
        document_types=[],
    )
    conn = await queries.connection(session)
    details = {
        yp: (gender, ethnicity, disabled)
        for yp, gender, ethnicity, disabled in (
            await conn.execute(
                select(
                    YoungPerson.id, YoungPerson.gender, YoungPerson.ethnicity, YoungPerson.disabled
                ).where(visible(actor, Access.read))
            )
        ).all()
    }
    rows: list[list[str]] = []
    for person in facts.people:
        seen = young_person_on(person, on)
        if not seen.in_scope or seen.status is None:
            continue
        gender, ethnicity, disabled = details[person.id]
        observation = facts.observations.get(person.id)
        plan = facts.plans.get(person.id)
        accommodation = observation.accommodation if observation else "0"
        activity = observation.activity if observation else "0"
        adviser = facts.staff.get(person.adviser_id, "") if person.adviser_id else ""
        team = facts.teams.get(person.team_id, "") if person.team_id else ""
        # The portal holds the PA; a child still looked after has a social worker it does not hold.
        worker = "" if person.timeline.looked_after_on(on) else adviser
        rows.append(
            [
                _cell(person.external_id),
                GENDER_LABELS[gender],
                _cell(ethnicity or ""),
                dmy(person.date_of_birth),
                str(seen.age),
                YES_NO[person.uasc],
                DISABILITY_LABELS[disabled],
                _cell(team),
                _cell(worker),
                _cell(adviser),
                ELIGIBILITY_LABELS[seen.status],
                dmy(plan.latest_agreed_on if plan else None),
                IN_TOUCH_LABELS.get(observation.in_touch, "") if observation else "",
                dmy(facts.last_contact.get(person.id)),
                ACCOMMODATION_LABELS.get(accommodation[0], "") if accommodation != "0" else "",
                SUITABILITY_LABELS.get(accommodation[1:], "") if accommodation != "0" else "",
                ACTIVITY_LABELS.get(activity, ""),
            ]
        )
    rows.sort(key=lambda r: r[0])
    audit.record(
        session, actor, "reports.export.annex_a_list_9", as_of=on.isoformat(), rows=len(rows)
    )
    return Export(
        filename=f"annex-a-list-9-{on.isoformat()}.csv",
        content=to_csv(ANNEX_A_LIST_9_HEADER, rows),
        rows=len(rows),
        headers={},
    )
