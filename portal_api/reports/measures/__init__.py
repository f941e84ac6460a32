"""The manager's figures (DOMAIN.md §8) as of any date, and the names behind each one.

SQL fetches the rows a date needs in a few set-shaped queries (``facts``); the rules that need
legal status run in Python (``rules``, ``status``); ``figures`` counts and lists. Every query
starts from ``people.scope.visible``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.common.pagination import Page, PageParams
from portal_api.common.time import today
from portal_api.content.library import Library
from portal_api.content.library import Page as ContentPage
from portal_api.content.service import org_slug
from portal_api.documents.catalogue import catalogue
from portal_api.errors import FieldError, InvalidInput, NotFound
from portal_api.reports.cache import Cached
from portal_api.reports.measures import queries, standing
from portal_api.reports.measures.facts import Facts, Need, ScopeFilter, paused_gc
from portal_api.reports.measures.figures import Listed, listed, measures, row_of, sort_key
from portal_api.reports.measures.outcome import Outcome, YoungPersonOnDate
from portal_api.reports.measures.rules import MEASURES, PORTAL_ONLY_NEEDS, Measure
from portal_api.reports.measures.scope import Resolved, check_as_of, resolve, started_on
from portal_api.reports.schemas import (
    MeasureName,
    MeasureRow,
    Measures,
    Overview,
    TrendPoint,
    Trends,
)

ALL_NEEDS = frozenset(Need)
TREND_POINTS = 12
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Pages:
    core: list[ContentPage]
    claimable: list[ContentPage]


async def pages(session: AsyncSession, library: Library, org_id: uuid.UUID) -> Pages:
    english = library.english(await org_slug(session, org_id))
    ordered = [english[slug] for slug in sorted(english)]
    return Pages(
        core=[p for p in ordered if p.meta.core],
        claimable=[p for p in ordered if p.meta.claimable],
    )


async def _load(
    session: AsyncSession,
    library: Library,
    scope: ScopeFilter,
    on: date,
    needs: frozenset[Need],
    only: frozenset[uuid.UUID] | None = None,
) -> Facts:
    """``only``: the facts of these young people alone (standing.py)."""
    org_id = scope.actor.user.org_id
    content = await pages(session, library, org_id)
    wanted = set(needs)
    observed = [
        *(content.core if Need.responses in needs else []),
        *(content.claimable if Need.entitlements in needs else []),
    ]
    if not queries.uses_observations(observed):
        # No page's rules look at activity, accommodation or in-touch codes: skip the query.
        wanted.discard(Need.observations)
    types = (
        await catalogue(session, org_id, include_retired=True) if Need.documents in needs else []
    )
    return await queries.load(
        session,
        scope,
        on,
        frozenset(wanted),
        core_pages=content.core,
        claimable_pages=content.claimable,
        document_types=types,
        only=only,
    )


async def overview(
    session: AsyncSession,
    actor: Actor,
    library: Library,
    *,
    as_of: date | None,
    team_id: uuid.UUID | None,
    adviser_id: uuid.UUID | None,
    cached: Cached | None = None,
) -> Overview:
    """``cached``: taken before anything else is read (reports/cache.py); None computes afresh."""
    resolved = await resolve(session, actor, team_id=team_id, adviser_id=adviser_id)
    on = check_as_of(as_of)
    figures = await _measures_on(session, library, resolved, on, cached)
    return Overview(as_of=on, scope=resolved.scope, measures=figures)


async def _measures_on(
    session: AsyncSession, library: Library, resolved: Resolved, on: date, cached: Cached | None
) -> Measures:
    """Every figure on one date: the overview's, and each of the trends' points (one entry)."""
    filter = resolved.filter
    key = (
        cached.key(resolved.organisation, filter.actor, filter.team_id, filter.adviser_id, on)
        if cached
        else None
    )
    if cached and (hit := cached.cache.get(key)) is not None:
        return hit  # type: ignore[no-any-return]
    first = started_on(resolved.organisation)
    with paused_gc():
        kept = await _kept(session, library, resolved, on, cached)
        figures = (
            kept.figures(first) if kept else await _computed(session, library, filter, on, first)
        )
    if cached:
        cached.cache.put(key, figures)
    return figures


async def _kept(
    session: AsyncSession,
    library: Library,
    resolved: Resolved,
    on: date,
    cached: Cached | None,
    renew_within: float = 0,
) -> standing.Standing | None:
    """The council's kept outcomes on ``on`` (standing.py), when these figures are the whole
    council's and the cache is in use."""
    filter = resolved.filter
    if cached is None or not standing.kept_for(filter):
        return None
    first = started_on(resolved.organisation)

    async def load(only: frozenset[uuid.UUID] | None) -> Facts:
        return await _load(session, library, filter, on, needs_on(on, first), only)

    return await standing.brought_up_to_date(
        cached, resolved.organisation, on, first, load, renew_within=renew_within
    )


def console_dates(on: date) -> list[date]:
    """The dates a manager's console opens on: the overview's (``on``) and the trends'."""
    return sorted({*month_ends(on, TREND_POINTS), on})


async def make_ready(
    session: AsyncSession,
    actor: Actor,
    library: Library,
    cached: Cached,
    *,
    renew_within: float = 0,
) -> list[date]:
    """The council-wide figures of ``console_dates(today())`` kept and brought up to date before a
    manager asks (reports/ready.py); ``actor``: a council-wide manager of the organisation. The
    dates made ready; none when the data version cannot be read (nothing can be kept then)."""
    resolved = await resolve(session, actor, team_id=None, adviser_id=None)
    ready = []
    for on in console_dates(today()):
        with paused_gc():
            kept = await _kept(session, library, resolved, on, cached, renew_within)
        if kept is None:
            break
        ready.append(on)
    return ready


async def _computed(
    session: AsyncSession, library: Library, filter: ScopeFilter, on: date, first: date
) -> Measures:
    """The figures, with the facts they came from freed on return, before the collector comes back:
    a collection that starts while they are alive walks every one of their objects (measured: a
    tenth of a miss at 5,000 young people; bench/README.md, "A miss made cheaper")."""
    facts = await _load(session, library, filter, on, needs_on(on, first))
    return measures(facts, first)


def needs_on(on: date, first: date) -> frozenset[Need]:
    """Before the portal started recording, what only it records is not read at all."""
    return ALL_NEEDS if on >= first else ALL_NEEDS - PORTAL_ONLY_NEEDS


def month_ends(before: date, count: int) -> list[date]:
    """The last ``count`` month-ends on or before ``before``, oldest first."""
    ends = [before] if (before + _DAY).day == 1 else []
    cursor = before.replace(day=1) - _DAY
    while len(ends) < count:
        ends.append(cursor)
        cursor = cursor.replace(day=1) - _DAY
    return sorted(ends)


async def trends(
    session: AsyncSession,
    actor: Actor,
    library: Library,
    *,
    team_id: uuid.UUID | None,
    adviser_id: uuid.UUID | None,
    cached: Cached | None = None,
) -> Trends:
    resolved = await resolve(session, actor, team_id=team_id, adviser_id=adviser_id)
    points = [
        TrendPoint(as_of=on, measures=await _measures_on(session, library, resolved, on, cached))
        for on in month_ends(today(), TREND_POINTS)
    ]
    return Trends(scope=resolved.scope, points=points)


def _not_recorded(measure: Measure, first: date) -> InvalidInput:
    """The names behind a figure that has none before go-live: a code and the date, so the app
    words it ("not recorded before 4 Dec 2026") as the overview does."""
    message = f"{measure.name.value} is not recorded before {first}"
    error = InvalidInput.many(
        f"query.as_of: {message}",
        [FieldError("query.as_of", message, code="not_recorded_before")],
    )
    error.extensions["available_from"] = first.isoformat()
    return error


def measure_named(name: str) -> Measure:
    try:
        return MEASURES[MeasureName(name)]
    except ValueError:
        known = ", ".join(m.value for m in MeasureName)
        raise NotFound(f"No measure {name!r}. Measures: {known}.") from None


@dataclass(frozen=True)
class Part:
    """A drill-down into one document type or one entitlement."""

    kind: str  # "document_type" or "entitlement"
    key: str


async def _check_part(
    session: AsyncSession, library: Library, actor: Actor, measure: Measure, part: Part | None
) -> None:
    if part is None:
        return
    if measure.parts != part.kind:
        raise InvalidInput(
            f"query.{part.kind}",
            "is only for "
            + ("documents_by_18" if part.kind == "document_type" else "entitlements_received"),
        )
    if part.kind == "document_type":
        keys = {t.key for t in await catalogue(session, actor.user.org_id, include_retired=True)}
    else:
        keys = {p.slug for p in (await pages(session, library, actor.user.org_id)).claimable}
    if part.key not in keys:
        raise NotFound(f"No {part.kind.replace('_', ' ')} {part.key!r}.")


@dataclass(frozen=True)
class Listing:
    as_of: date
    resolved: Resolved
    rows: list[MeasureRow]
    total: int


async def young_people(
    session: AsyncSession,
    actor: Actor,
    library: Library,
    name: str,
    *,
    as_of: date | None,
    team_id: uuid.UUID | None,
    adviser_id: uuid.UUID | None,
    met: bool | None,
    sort: str,
    page: PageParams | None,
    document_type: str | None = None,
    entitlement: str | None = None,
    cached: Cached | None = None,
) -> Listing:
    """Who is in a measure's denominator, whether they meet it and why; ``page`` None for all."""
    measure = measure_named(name)
    if document_type is not None and entitlement is not None:
        raise InvalidInput(
            "query.entitlement", "ask for a document type or an entitlement, not both"
        )
    part = (
        Part("document_type", document_type)
        if document_type is not None
        else Part("entitlement", entitlement)
        if entitlement is not None
        else None
    )
    resolved = await resolve(session, actor, team_id=team_id, adviser_id=adviser_id)
    on = check_as_of(as_of)
    first = started_on(resolved.organisation)
    if measure.portal_only and on < first:
        raise _not_recorded(measure, first)
    await _check_part(session, library, actor, measure, part)
    named = await _named(session, library, resolved, on, measure, part, cached)
    found = named.in_order(sort, met)
    chosen = found[page.offset : page.offset + page.limit] if page else found
    # Rows, with their reasons in words, only for the page shown.
    rows = [row_of(named.facts, item, on) for item in chosen]
    audit.record(
        session,
        actor,
        "reports.young_people.read",
        measure=measure.name.value,
        as_of=on.isoformat(),
        part=part.key if part else None,
        count=len(rows),
    )
    return Listing(as_of=on, resolved=resolved, rows=rows, total=len(found))


@dataclass(slots=True)
class Named:
    """Everyone behind a figure (before ``met`` and paging), the facts their rows name teams and
    staff from, and each order (a sort, with or without ``met``) once it has been asked for."""

    facts: Facts
    measure: Measure
    items: list[Listed]
    orders: dict[tuple[str, bool | None], list[Listed]] = field(default_factory=dict)

    def in_order(self, sort: str, met: bool | None) -> list[Listed]:
        name = sort.removeprefix("-")
        if (name, met) not in self.orders:
            key = sort_key(self.facts, self.measure, name)
            chosen = self.items if met is None else [i for i in self.items if i.outcome.met is met]
            # Two young people with the same name (or urgency) always come in the same order,
            # however the list was made (afresh in the database's order, or kept).
            self.orders[name, met] = sorted(chosen, key=lambda i: (key(i), i.seen.person.id.int))
        ordered = self.orders[name, met]
        return ordered[::-1] if sort.startswith("-") else ordered


async def _named(
    session: AsyncSession,
    library: Library,
    resolved: Resolved,
    on: date,
    measure: Measure,
    part: Part | None,
    cached: Cached | None,
) -> Named:
    """Everyone in a measure's denominator on a date (before ``met`` and paging): one entry."""
    filter = resolved.filter
    key = (
        cached.key(
            resolved.organisation,
            filter.actor,
            filter.team_id,
            filter.adviser_id,
            on,
            measure.name.value,
            part,
        )
        if cached
        else None
    )
    if cached and (hit := cached.cache.get(key)) is not None:
        return hit  # type: ignore[no-any-return]
    with paused_gc():
        kept = await _kept(session, library, resolved, on, cached)
        named = (
            _named_in(kept.facts, measure, part, kept.outcomes(measure.name))
            if kept
            else await _names_of(session, library, filter, on, measure, part)
        )
    if cached:
        cached.cache.put(key, named, rows=len(named.items))
    return named


def as_page(listing: Listing, page: PageParams) -> Page[MeasureRow]:
    return Page[MeasureRow](
        items=listing.rows, total=listing.total, limit=page.limit, offset=page.offset
    )


async def _names_of(
    session: AsyncSession,
    library: Library,
    filter: ScopeFilter,
    on: date,
    measure: Measure,
    part: Part | None,
) -> Named:
    """Everyone in the denominator, judged from the measure's facts alone (a team's or a PA's
    names; the council's come from the kept outcomes). The rows hold the facts until the cache
    lets them go."""
    facts = await _load(session, library, filter, on, measure.needs)
    return _named_in(facts, measure, part)


def _named_in(
    facts: Facts,
    measure: Measure,
    part: Part | None,
    found: list[tuple[YoungPersonOnDate, Outcome]] | None = None,
) -> Named:
    return Named(facts, measure, listed(facts, measure, part.key if part else None, found))
