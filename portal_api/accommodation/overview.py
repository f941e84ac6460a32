"""The managers' view of where young people live, SQL-first: concerns by provider and scheme,
satisfaction by scheme, schemes without a senior visit and unsuitable accommodation, each with
the names behind it.

Five queries, whatever the council's size. Each figure is aggregated per scheme in SQL, and the
names behind it come back aggregated too (one string per scheme), so a council with 300 schemes
and 5,000 young people sends a few hundred rows to Python, not one per young person per figure.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, String, case, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.accommodation.schemas import (
    ConcernOutcome,
    ProviderConcerns,
    ProvidersOverview,
    SchemeConcerns,
    SchemeSatisfaction,
    SchemeWithoutSeniorVisit,
    UnsuitableAccommodation,
)
from portal_api.accommodation.service import not_closed, start_of_day
from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.common.time import london_date, today
from portal_api.models import (
    AccommodationConcern,
    ConcernCategory,
    ConcernStatus,
    Provider,
    QualityVisit,
    Residence,
    SatisfactionResponse,
    Scheme,
    YoungPerson,
)
from portal_api.people.codes import ACCOMMODATION_TYPE
from portal_api.people.legal_status import add_months
from portal_api.people.scope import Access, visible

OUTCOMES_SHOWN = 5
SENIOR_VISIT_MONTHS = 12
OVERVIEW_MONTHS = 12
# Inside an aggregated list of young people: between one person's fields, and between people.
FIELD, RECORD = "\x1f", "\x1e"
_PERSON_GROUP = (
    YoungPerson.id,
    YoungPerson.given_name,
    YoungPerson.preferred_name,
    YoungPerson.family_name,
)


def _name_column() -> ColumnElement[str]:
    name = func.coalesce(YoungPerson.preferred_name, YoungPerson.given_name)
    return name + " " + YoungPerson.family_name


def _person_entry(*numbers: ColumnElement[Any]) -> ColumnElement[str]:
    """``id␟n␟…␟name`` for one young person; the name goes last, so only the record separator
    needs taking out of it."""
    entry: ColumnElement[str] = cast(YoungPerson.id, String)
    for number in numbers:
        entry = entry + FIELD + cast(number, String)
    return entry + FIELD + func.replace(_name_column(), RECORD, " ")


def _people(aggregated: str | None, *numbers: str) -> list[dict[str, Any]]:
    """The young people in an aggregated list, by name, as plain dicts: the row's schema then
    validates them all in one call instead of one model per name."""
    people = []
    for entry in (aggregated or "").split(RECORD):
        if entry:
            person_id, *values, name = entry.split(FIELD, len(numbers) + 1)
            person: dict[str, Any] = {"young_person_id": person_id, "full_name": name}
            person.update(zip(numbers, map(int, values), strict=True))
            people.append(person)
    return sorted(people, key=lambda p: (p["full_name"], p["young_person_id"]))


def _most_open_first(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(people, key=lambda p: (-p["open"], p["full_name"], p["young_person_id"]))


async def overview(session: AsyncSession, actor: Actor) -> ProvidersOverview:
    on = today()
    result = ProvidersOverview(
        as_of=on,
        concerns=await _concern_overview(session, actor, on),
        satisfaction=await _satisfaction_overview(session, actor, on),
        schemes_without_senior_visit=await _unvisited(session, actor, on),
        unsuitable_accommodation=await _unsuitable(session, actor, on),
    )
    audit.record(
        session,
        actor,
        "providers.overview.read",
        open_concerns=sum(p.open for p in result.concerns),
        unsuitable=len(result.unsuitable_accommodation),
    )
    return result


# --- concerns -----------------------------------------------------------------------------------


@dataclass
class _Tally:
    """One provider's figures, added up from its schemes' rows."""

    open: int = 0
    total: int = 0
    oldest_open: datetime | None = None
    categories: Counter[ConcernCategory] = field(default_factory=Counter)
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    schemes: list[SchemeConcerns] = field(default_factory=list)

    def add(
        self, scheme: SchemeConcerns, people: list[dict[str, Any]], oldest_open: datetime | None
    ) -> None:
        self.schemes.append(scheme)
        self.open += scheme.open
        self.total += scheme.total
        self.categories.update(scheme.categories)
        if oldest_open and (self.oldest_open is None or oldest_open < self.oldest_open):
            self.oldest_open = oldest_open
        for person in people:
            known = self.people.setdefault(
                person["young_person_id"], {**person, "open": 0, "total": 0}
            )
            known["open"] += person["open"]
            known["total"] += person["total"]


def _days_since(on: date, moment: datetime | None) -> int | None:
    return (on - london_date(moment)).days if moment else None


async def _concern_overview(
    session: AsyncSession, actor: Actor, on: date
) -> list[ProviderConcerns]:
    since = start_of_day(add_months(on, -OVERVIEW_MONTHS))
    concern = AccommodationConcern
    is_open = concern.status != ConcernStatus.closed
    open_n = func.sum(case((is_open, 1), else_=0))
    # Per scheme and young person first (their own counts and name), then per scheme.
    per_person = (
        select(
            concern.scheme_id.label("scheme_id"),
            open_n.label("n_open"),
            func.count().label("n_total"),
            func.min(case((is_open, concern.created_at))).label("oldest_open"),
            *(
                func.sum(case((concern.category == category, 1), else_=0)).label(category.value)
                for category in ConcernCategory
            ),
            _person_entry(open_n, func.count()).label("entry"),
        )
        .join(YoungPerson, YoungPerson.id == concern.young_person_id)
        .where(visible(actor, Access.read), or_(is_open, concern.created_at >= since))
        .group_by(concern.scheme_id, *_PERSON_GROUP)
        .subquery()
    )
    rows = await session.execute(
        select(
            per_person.c.scheme_id,
            Scheme.name,
            Provider.id,
            Provider.name,
            func.sum(per_person.c.n_open),
            func.sum(per_person.c.n_total),
            func.min(per_person.c.oldest_open),
            func.aggregate_strings(per_person.c.entry, RECORD),
            *(func.sum(per_person.c[category.value]) for category in ConcernCategory),
        )
        .outerjoin(Scheme, Scheme.id == per_person.c.scheme_id)
        .outerjoin(Provider, Provider.id == Scheme.provider_id)
        .group_by(per_person.c.scheme_id, Scheme.name, Provider.id, Provider.name)
    )
    outcomes = await _outcomes(session, actor, since)
    providers: dict[uuid.UUID | None, tuple[str | None, _Tally]] = {}
    for (
        scheme_id,
        scheme_name,
        provider_id,
        provider_name,
        n_open,
        n_total,
        oldest,
        aggregated,
        *by_category,
    ) in rows:
        people = _people(aggregated, "open", "total")
        scheme = SchemeConcerns.model_validate(
            {
                "scheme_id": scheme_id,
                "scheme_name": scheme_name,
                "open": n_open,
                "oldest_open_days": _days_since(on, oldest),
                "total": n_total,
                "categories": {
                    c: n for c, n in zip(ConcernCategory, by_category, strict=True) if n
                },
                "young_people": _most_open_first(people),
                "outcomes": outcomes.get(scheme_id, []),
            }
        )
        providers.setdefault(provider_id, (provider_name, _Tally()))[1].add(scheme, people, oldest)
    result = [
        ProviderConcerns.model_validate(
            {
                "provider_id": provider_id,
                "provider_name": name,
                "open": tally.open,
                "oldest_open_days": _days_since(on, tally.oldest_open),
                "total": tally.total,
                "categories": dict(tally.categories),
                "young_people": _most_open_first(list(tally.people.values())),
                "schemes": sorted(tally.schemes, key=lambda s: (-s.open, s.scheme_name or "")),
            }
        )
        for provider_id, (name, tally) in providers.items()
    ]
    # Most open first, then the longest waiting; concerns raised outside a scheme come last.
    return sorted(
        result,
        key=lambda p: (
            p.provider_id is None,
            -p.open,
            -(p.oldest_open_days or 0),
            p.provider_name or "",
        ),
    )


async def _outcomes(
    session: AsyncSession, actor: Actor, since: datetime
) -> dict[uuid.UUID | None, list[ConcernOutcome]]:
    """Each scheme's latest outcomes, ranked in SQL."""
    concern = AccommodationConcern
    rank = (
        func.row_number()
        .over(partition_by=concern.scheme_id, order_by=concern.closed_at.desc())
        .label("rank")
    )
    ranked = (
        select(
            concern.id,
            concern.scheme_id,
            concern.category,
            concern.closed_at,
            concern.outcome,
            YoungPerson.id.label("young_person_id"),
            _name_column().label("full_name"),
            rank,
        )
        .join(YoungPerson, YoungPerson.id == concern.young_person_id)
        .where(
            visible(actor, Access.read),
            concern.status == ConcernStatus.closed,
            concern.closed_at >= since,
        )
        .subquery()
    )
    rows = await session.execute(
        select(ranked).where(ranked.c.rank <= OUTCOMES_SHOWN).order_by(ranked.c.closed_at.desc())
    )
    outcomes: dict[uuid.UUID | None, list[ConcernOutcome]] = {}
    for concern_id, scheme_id, category, closed_at, outcome, person_id, name, _ in rows:
        outcomes.setdefault(scheme_id, []).append(
            ConcernOutcome(
                concern_id=concern_id,
                young_person_id=person_id,
                full_name=name,
                category=category,
                closed_on=london_date(closed_at),
                outcome=outcome,
            )
        )
    return outcomes


# --- satisfaction, visits, suitability ----------------------------------------------------------


async def _satisfaction_overview(
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
            _person_entry().label("entry"),
        )
        .join(YoungPerson, YoungPerson.id == answer.young_person_id)
        .where(
            visible(actor, Access.read),
            answer.scheme_id.is_not(None),
            answer.created_at >= since,
        )
        .group_by(answer.scheme_id, *_PERSON_GROUP)
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
                "young_people": _people(people),
            }
        )
        for scheme_id, scheme_name, provider_id, provider_name, rating_sum, answers, people in rows
    ]
    # The least satisfied first.
    return sorted(result, key=lambda s: (s.average, s.scheme_name))


async def _unvisited(
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
            func.aggregate_strings(_person_entry(), RECORD).label("people"),
        )
        .join(YoungPerson, YoungPerson.id == Residence.young_person_id)
        .where(
            Residence.until_on.is_(None),
            Residence.scheme_id.is_not(None),
            visible(actor, Access.read),
            not_closed(on),
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
                "young_people": _people(people),
            }
        )
        for scheme_id, scheme_name, provider_id, provider_name, last, living, people in rows
    ]
    # Never visited first, then the longest since a senior visit; most young people first.
    return sorted(
        result,
        key=lambda s: (s.last_senior_visit_on or date.min, -s.living_here_now, s.scheme_name),
    )


async def _unsuitable(
    session: AsyncSession, actor: Actor, on: date
) -> list[UnsuitableAccommodation]:
    rows = await session.execute(
        select(
            YoungPerson.id,
            _name_column(),
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
            not_closed(on),
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
