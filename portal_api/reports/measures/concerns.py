"""accommodation_concerns: what young people told us about where they live that was still open on
the date, by provider, with the age of the oldest (docs/measures.md).

Replayed from dates, not from the concern's status now: a concern is open on a date when it was
raised by the end of that day (London) and not closed by then. The denominator is every concern
raised in the 12 months up to the date, and any older one still open on it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from portal_api.common.time import LONDON
from portal_api.models import AccommodationConcern, Provider, Scheme
from portal_api.reports.measures.facts import ConcernFacts, Facts
from portal_api.reports.measures.history import london_day_ends
from portal_api.reports.measures.outcome import Outcome, YoungPersonOnDate, day, days

NO_PROVIDER = "No provider recorded (a private address, or nowhere recorded)"
_WORDS = {"support_staff": "support staff"}


async def concerns(
    conn: AsyncConnection, ids: Any, on: date, year_before: date
) -> dict[uuid.UUID, list[ConcernFacts]]:
    ends = london_day_ends(on)
    window = london_day_ends(
        year_before
    )  # "in the 12 months up to": after the day 12 months before
    concern = AccommodationConcern
    rows = await conn.execute(
        select(
            concern.young_person_id,
            concern.id,
            concern.created_at,
            concern.closed_at,
            concern.category,
            concern.urgency,
            Scheme.name,
            Provider.id,
            Provider.name,
        )
        .outerjoin(Scheme, Scheme.id == concern.scheme_id)
        .outerjoin(Provider, Provider.id == Scheme.provider_id)
        .where(
            concern.young_person_id.in_(ids),
            concern.created_at < ends,
            or_(
                concern.created_at >= window,
                concern.closed_at.is_(None),
                concern.closed_at >= ends,
            ),
        )
        .order_by(concern.young_person_id, concern.created_at)
    )
    found: dict[uuid.UUID, list[ConcernFacts]] = defaultdict(list)
    for yp, concern_id, raised, closed, category, urgency, scheme, provider_id, provider in rows:
        found[yp].append(
            ConcernFacts(
                id=concern_id,
                raised_on=raised.astimezone(LONDON).date(),
                open=closed is None or closed >= ends,
                category=str(category),
                urgency=str(urgency),
                scheme_name=scheme,
                provider_id=provider_id,
                provider_name=provider,
            )
        )
    return found


def accommodation_concerns(facts: Facts, seen: YoungPersonOnDate) -> Outcome | None:
    """Counts a problem: "met" means at least one concern of theirs was open on the date."""
    if not seen.in_scope:
        return None
    raised = facts.concerns.get(seen.person.id)
    if not raised:
        return None
    still_open = [c for c in raised if c.open]
    if not still_open:
        n = len(raised)
        return Outcome(
            False,
            lambda: (
                f"{'1 concern' if n == 1 else f'{n} concerns'} in the last 12 months, all closed"
            ),
        )
    oldest = still_open[0]
    age = (facts.as_of - oldest.raised_on).days

    def why() -> str:
        where = oldest.scheme_name or "their home"
        if oldest.provider_name:
            where += f" ({oldest.provider_name})"
        what = _WORDS.get(oldest.category, oldest.category)
        more = f"; {len(still_open)} open" if len(still_open) > 1 else ""
        return (
            f"{oldest.urgency} concern about {what} at {where}, open since "
            f"{day(oldest.raised_on)}, {days(age)}{more}"
        )

    return Outcome(True, why, days_overdue=age)


@dataclass
class ProviderTally:
    provider_id: uuid.UUID | None
    provider_name: str
    open: int = 0
    total: int = 0
    oldest_open_on: date | None = None


def figure(people: list[YoungPersonOnDate], facts: Facts) -> tuple[int, int, list[ProviderTally]]:
    """(open concerns, concerns in the denominator, per provider most open first), over the
    young people in the measure's denominator."""
    providers: dict[uuid.UUID | None, ProviderTally] = {}
    for seen in people:
        for c in facts.concerns[seen.person.id]:
            tally = providers.setdefault(
                c.provider_id, ProviderTally(c.provider_id, c.provider_name or NO_PROVIDER)
            )
            tally.total += 1
            if c.open:
                tally.open += 1
                if tally.oldest_open_on is None or c.raised_on < tally.oldest_open_on:
                    tally.oldest_open_on = c.raised_on
    ordered = sorted(
        providers.values(),
        key=lambda t: (
            t.provider_id is None,
            -t.open,
            t.oldest_open_on or date.max,
            t.provider_name.casefold(),
        ),
    )
    return sum(t.open for t in ordered), sum(t.total for t in ordered), ordered
