"""The providers overview's figures by scheme: satisfaction over the last year, schemes without a
senior visit in 12 months, and young people living somewhere judged unsuitable, each with the names
behind it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.accommodation.overview_names import (
    OVERVIEW_MONTHS,
    PERSON_GROUP,
    RECORD,
    name_column,
    people_in,
    person_entry,
)
from portal_api.accommodation.schemas import (
    SchemeSatisfaction,
    SchemeWithoutSeniorVisit,
    UnsuitableAccommodation,
)
from portal_api.accommodation.service import start_of_day
from portal_api.common.actor import Actor
from portal_api.models import (
    Provider,
    QualityVisit,
    Residence,
    SatisfactionResponse,
    Scheme,
    YoungPerson,
)
from portal_api.people.codes import ACCOMMODATION_TYPE
from portal_api.people.legal_status import add_months
from portal_api.people.queries import open_on
from portal_api.people.scope import Access, visible

SENIOR_VISIT_MONTHS = 12

# --- satisfaction, visits, suitability ----------------------------------------------------------


async def satisfaction_overview(
    session: AsyncSession, actor: Actor, on: date
) -> list[SchemeSatisfaction]:
    since = start_of_day(add_months(on, -OVERVIEW_MONTHS))
    answer = SatisfactionResponse
    # Per scheme and young person (each name once), then per scheme: exact sums for the mean.
    per_person = (
        select(
            answer.scheme_id.label("scheme_id"),
            func.sum(answer.rating).label("rating_sum"),
            func.count().label("answers"),
            person_entry().label("entry"),
        )
        .join(YoungPerson, YoungPerson.id == answer.young_person_id)
        .where(
            visible(actor, Access.read),
            answer.scheme_id.is_not(None),
            answer.created_at >= since,
        )
        .group_by(answer.scheme_id, *PERSON_GROUP)
        .subquery()
    )
    rows = await session.execute(
        select(
            Scheme.id,
            Scheme.name,
            Provider.id,
            Provider.name,
            func.sum(per_person.c.rating_sum),
            func.sum(per_person.c.answers),
            func.aggregate_strings(per_person.c.entry, RECORD),
        )
        .join(per_person, per_person.c.scheme_id == Scheme.id)
        .join(Provider, Provider.id == Scheme.provider_id)
        .group_by(Scheme.id, Scheme.name, Provider.id, Provider.name)
    )
    result = [
        SchemeSatisfaction.model_validate(
            {
                "scheme_id": scheme_id,
                "scheme_name": scheme_name,
                "provider_id": provider_id,
                "provider_name": provider_name,
                "average": round(int(rating_sum) / int(answers), 1),
                "count": answers,
                "young_people": people_in(people),
            }
        )
        for scheme_id, scheme_name, provider_id, provider_name, rating_sum, answers, people in rows
    ]
    # The least satisfied first.
    return sorted(result, key=lambda s: (s.average, s.scheme_name))


async def unvisited(
    session: AsyncSession, actor: Actor, on: date
) -> list[SchemeWithoutSeniorVisit]:
    # A senior visit exactly 12 calendar months ago still counts ("no more than 12 months").
    cutoff = add_months(on, -SENIOR_VISIT_MONTHS)
    last_senior = (
        select(
            QualityVisit.scheme_id.label("scheme_id"),
            func.max(QualityVisit.visited_on).label("visited_on"),
        )
        .where(QualityVisit.org_id == actor.user.org_id, QualityVisit.is_senior)
        .group_by(QualityVisit.scheme_id)
        .subquery()
    )
    living_here = (
        select(
            Residence.scheme_id.label("scheme_id"),
            func.count().label("living"),
            func.aggregate_strings(person_entry(), RECORD).label("people"),
        )
        .join(YoungPerson, YoungPerson.id == Residence.young_person_id)
        .where(
            Residence.until_on.is_(None),
            Residence.scheme_id.is_not(None),
            visible(actor, Access.read),
            open_on(on),
        )
        .group_by(Residence.scheme_id)
        .subquery()
    )
    rows = await session.execute(
        select(
            Scheme.id,
            Scheme.name,
            Provider.id,
            Provider.name,
            last_senior.c.visited_on,
            living_here.c.living,
            living_here.c.people,
        )
        .join(living_here, living_here.c.scheme_id == Scheme.id)
        .join(Provider, Provider.id == Scheme.provider_id)
        .outerjoin(last_senior, last_senior.c.scheme_id == Scheme.id)
        .where(or_(last_senior.c.visited_on.is_(None), last_senior.c.visited_on < cutoff))
    )
    result = [
        SchemeWithoutSeniorVisit.model_validate(
            {
                "scheme_id": scheme_id,
                "scheme_name": scheme_name,
                "provider_id": provider_id,
                "provider_name": provider_name,
                "last_senior_visit_on": last,
                "living_here_now": living,
                "young_people": people_in(people),
            }
        )
        for scheme_id, scheme_name, provider_id, provider_name, last, living, people in rows
    ]
    # Never visited first, then the longest since a senior visit; most young people first.
    return sorted(
        result,
        key=lambda s: (s.last_senior_visit_on or date.min, -s.living_here_now, s.scheme_name),
    )


async def unsuitable(
    session: AsyncSession, actor: Actor, on: date
) -> list[UnsuitableAccommodation]:
    rows = await session.execute(
        select(
            YoungPerson.id,
            name_column(),
            Residence.code,
            Residence.since_on,
            Scheme.name,
            Provider.name,
        )
        .select_from(Residence)
        .join(YoungPerson, YoungPerson.id == Residence.young_person_id)
        .outerjoin(Scheme, Scheme.id == Residence.scheme_id)
        .outerjoin(Provider, Provider.id == Scheme.provider_id)
        .where(
            Residence.until_on.is_(None),
            Residence.suitable.is_(False),
            visible(actor, Access.read),
            open_on(on),
        )
        .order_by(Residence.since_on, YoungPerson.family_name)
    )
    return [
        UnsuitableAccommodation(
            young_person_id=person_id,
            full_name=name,
            code=code,
            accommodation_type_name=ACCOMMODATION_TYPE[code[0]],
            since=since,
            days=(on - since).days,
            scheme_name=scheme_name,
            provider_name=provider_name,
        )
        for person_id, name, code, since, scheme_name, provider_name in rows
    ]
