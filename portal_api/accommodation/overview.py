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

from sqlalchemy import case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.accommodation.overview_names import (
    OVERVIEW_MONTHS,
    PERSON_GROUP,
    RECORD,
    most_open_first,
    name_column,
    people_in,
    person_entry,
)
from portal_api.accommodation.overview_schemes import (
    satisfaction_overview,
    unsuitable,
    unvisited,
)
from portal_api.accommodation.schemas import (
    ConcernOutcome,
    ProviderConcerns,
    ProvidersOverview,
    SchemeConcerns,
)
from portal_api.accommodation.service import start_of_day
from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.common.time import london_date, today
from portal_api.models import (
    AccommodationConcern,
    ConcernCategory,
    ConcernStatus,
    Provider,
    Scheme,
    YoungPerson,
)
from portal_api.people.legal_status import add_months
from portal_api.people.scope import Access, visible

OUTCOMES_SHOWN = 5


async def overview(session: AsyncSession, actor: Actor) -> ProvidersOverview:
    on = today()
    result = ProvidersOverview(
        as_of=on,
        concerns=await _concern_overview(session, actor, on),
        satisfaction=await satisfaction_overview(session, actor, on),
        schemes_without_senior_visit=await unvisited(session, actor, on),
        unsuitable_accommodation=await unsuitable(session, actor, on),
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
            person_entry(open_n, func.count()).label("entry"),
        )
        .join(YoungPerson, YoungPerson.id == concern.young_person_id)
        .where(visible(actor, Access.read), or_(is_open, concern.created_at >= since))
        .group_by(concern.scheme_id, *PERSON_GROUP)
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
        people = people_in(aggregated, "open", "total")
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
                "young_people": most_open_first(people),
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
                "young_people": most_open_first(list(tally.people.values())),
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
            name_column().label("full_name"),
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
