"""The council's register of accommodation providers, their schemes and quality visits, and the
copy of young people's concerns that can be passed to a provider."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.accommodation.schemas import (
    ProviderConcernRead,
    ProviderCreate,
    ProviderRead,
    ProviderUpdate,
    QualityVisitCreate,
    QualityVisitRead,
    SchemeCreate,
    SchemeRead,
    SchemeUpdate,
)
from portal_api.accommodation.service import STAFF_LIST_LIMIT, full_name
from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.common.time import london_date
from portal_api.db.base import utcnow
from portal_api.errors import Conflict, NotFound
from portal_api.models import (
    AccommodationConcern,
    ConcernStatus,
    Provider,
    QualityVisit,
    Residence,
    Role,
    Scheme,
    User,
    YoungPerson,
)
from portal_api.people.codes import ACCOMMODATION_TYPE
from portal_api.people.scope import Access, visible

VISITS_SHOWN = 5


# --- the register -------------------------------------------------------------------------------


async def _provider(session: AsyncSession, actor: Actor, provider_id: uuid.UUID) -> Provider:
    provider = await session.get(Provider, provider_id)
    if provider is None or provider.org_id != actor.user.org_id:
        raise NotFound("No provider with that id in your council's register.")
    return provider


async def _scheme(session: AsyncSession, actor: Actor, scheme_id: uuid.UUID) -> Scheme:
    scheme = await session.get(Scheme, scheme_id)
    if scheme is None or scheme.org_id != actor.user.org_id:
        raise NotFound("No scheme with that id in your council's register.")
    return scheme


async def _provider_name_free(
    session: AsyncSession, org_id: uuid.UUID, name: str, but: uuid.UUID | None = None
) -> None:
    query = select(Provider.id).where(Provider.org_id == org_id, Provider.name == name)
    if but is not None:
        query = query.where(Provider.id != but)
    if await session.scalar(query) is not None:
        raise Conflict(f"There is already a provider called {name!r}.")


async def _scheme_name_free(
    session: AsyncSession, provider_id: uuid.UUID, name: str, but: uuid.UUID | None = None
) -> None:
    query = select(Scheme.id).where(Scheme.provider_id == provider_id, Scheme.name == name)
    if but is not None:
        query = query.where(Scheme.id != but)
    if await session.scalar(query) is not None:
        raise Conflict(f"This provider already has a scheme called {name!r}.")


async def register(
    session: AsyncSession, actor: Actor, provider_ids: Sequence[uuid.UUID] | None = None
) -> list[ProviderRead]:
    """Providers with their schemes, latest visits and (for casework staff) counts of the young
    people they may see: who lives there now and their open concerns. Six queries in all."""
    org_id = actor.user.org_id
    providers_query = select(Provider).where(Provider.org_id == org_id).order_by(Provider.name)
    schemes_query = select(Scheme).where(Scheme.org_id == org_id).order_by(Scheme.name)
    if provider_ids is not None:
        providers_query = providers_query.where(Provider.id.in_(provider_ids))
        schemes_query = schemes_query.where(Scheme.provider_id.in_(provider_ids))
    providers = list((await session.execute(providers_query)).scalars())
    schemes = list((await session.execute(schemes_query)).scalars())
    scheme_ids = [s.id for s in schemes]
    visits = await _latest_visits(session, scheme_ids)
    last_senior = dict(
        (
            await session.execute(
                select(QualityVisit.scheme_id, func.max(QualityVisit.visited_on))
                .where(QualityVisit.scheme_id.in_(scheme_ids), QualityVisit.is_senior)
                .group_by(QualityVisit.scheme_id)
            )
        ).all()
    )
    living: dict[uuid.UUID, int] | None = None
    open_concerns: dict[uuid.UUID, int] | None = None
    if actor.role is not Role.admin:  # administrators see no case records, not even counts
        living = await _count_by_scheme(
            session,
            select(Residence.scheme_id, func.count())
            .join(YoungPerson, YoungPerson.id == Residence.young_person_id)
            .where(
                Residence.until_on.is_(None),
                Residence.scheme_id.in_(scheme_ids),
                visible(actor, Access.read),
            )
            .group_by(Residence.scheme_id),
        )
        open_concerns = await _count_by_scheme(
            session,
            select(AccommodationConcern.scheme_id, func.count())
            .join(YoungPerson, YoungPerson.id == AccommodationConcern.young_person_id)
            .where(
                AccommodationConcern.status != ConcernStatus.closed,
                AccommodationConcern.scheme_id.in_(scheme_ids),
                visible(actor, Access.read),
            )
            .group_by(AccommodationConcern.scheme_id),
        )
    by_provider: dict[uuid.UUID, list[SchemeRead]] = defaultdict(list)
    for scheme in schemes:
        by_provider[scheme.provider_id].append(
            SchemeRead(
                id=scheme.id,
                provider_id=scheme.provider_id,
                name=scheme.name,
                address=scheme.address,
                accommodation_type=scheme.accommodation_type,
                accommodation_type_name=ACCOMMODATION_TYPE[scheme.accommodation_type],
                commissioned=scheme.commissioned,
                living_here_now=None if living is None else living.get(scheme.id, 0),
                open_concerns=None if open_concerns is None else open_concerns.get(scheme.id, 0),
                last_senior_visit_on=last_senior.get(scheme.id),
                visits=visits.get(scheme.id, []),
            )
        )
    return [
        ProviderRead(
            id=p.id,
            name=p.name,
            commissioned=p.commissioned,
            open_concerns=None
            if open_concerns is None
            else sum(s.open_concerns or 0 for s in by_provider[p.id]),
            schemes=by_provider[p.id],
        )
        for p in providers
    ]


async def _count_by_scheme(session: AsyncSession, query: Any) -> dict[uuid.UUID, int]:
    return {scheme_id: int(n) for scheme_id, n in (await session.execute(query)).all()}


def _visit_read(visit: QualityVisit, recorded_by: str | None) -> QualityVisitRead:
    return QualityVisitRead(
        id=visit.id,
        scheme_id=visit.scheme_id,
        visited_on=visit.visited_on,
        visitor_name=visit.visitor_name,
        visitor_role=visit.visitor_role,
        is_senior=visit.is_senior,
        findings=visit.findings,
        actions=visit.actions,
        recorded_by=recorded_by,
    )


async def _latest_visits(
    session: AsyncSession, scheme_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[QualityVisitRead]]:
    rank = (
        func.row_number()
        .over(
            partition_by=QualityVisit.scheme_id,
            order_by=(QualityVisit.visited_on.desc(), QualityVisit.created_at.desc()),
        )
        .label("rank")
    )
    ranked = select(QualityVisit.id, rank).where(QualityVisit.scheme_id.in_(scheme_ids)).subquery()
    rows = await session.execute(
        select(QualityVisit, User.display_name)
        .join(ranked, ranked.c.id == QualityVisit.id)
        .outerjoin(User, User.id == QualityVisit.recorded_by_id)
        .where(ranked.c.rank <= VISITS_SHOWN)
        .order_by(QualityVisit.visited_on.desc(), QualityVisit.created_at.desc())
    )
    visits: dict[uuid.UUID, list[QualityVisitRead]] = defaultdict(list)
    for visit, name in rows:
        visits[visit.scheme_id].append(_visit_read(visit, name))
    return visits


async def _one_provider(
    session: AsyncSession, actor: Actor, provider_id: uuid.UUID
) -> ProviderRead:
    return (await register(session, actor, [provider_id]))[0]


async def _one_scheme(session: AsyncSession, actor: Actor, scheme: Scheme) -> SchemeRead:
    provider = await _one_provider(session, actor, scheme.provider_id)
    return next(s for s in provider.schemes if s.id == scheme.id)


async def create_provider(
    session: AsyncSession, actor: Actor, data: ProviderCreate
) -> ProviderRead:
    await _provider_name_free(session, actor.user.org_id, data.name)
    provider = Provider(org_id=actor.user.org_id, name=data.name, commissioned=data.commissioned)
    session.add(provider)
    await session.flush()
    audit.record(session, actor, "provider.create", provider_id=str(provider.id))
    return await _one_provider(session, actor, provider.id)


async def update_provider(
    session: AsyncSession, actor: Actor, provider_id: uuid.UUID, data: ProviderUpdate
) -> ProviderRead:
    provider = await _provider(session, actor, provider_id)
    if data.name is not None:
        await _provider_name_free(session, provider.org_id, data.name, but=provider.id)
        provider.name = data.name
    if data.commissioned is not None:
        provider.commissioned = data.commissioned
    provider.updated_at = utcnow()
    audit.record(session, actor, "provider.change", provider_id=str(provider.id))
    await session.flush()
    return await _one_provider(session, actor, provider.id)


async def create_scheme(
    session: AsyncSession, actor: Actor, provider_id: uuid.UUID, data: SchemeCreate
) -> SchemeRead:
    provider = await _provider(session, actor, provider_id)
    await _scheme_name_free(session, provider.id, data.name)
    scheme = Scheme(
        org_id=provider.org_id,
        provider_id=provider.id,
        name=data.name,
        address=data.address,
        accommodation_type=data.accommodation_type,
        commissioned=data.commissioned,
    )
    session.add(scheme)
    await session.flush()
    audit.record(session, actor, "scheme.create", scheme_id=str(scheme.id))
    return await _one_scheme(session, actor, scheme)


async def update_scheme(
    session: AsyncSession, actor: Actor, scheme_id: uuid.UUID, data: SchemeUpdate
) -> SchemeRead:
    scheme = await _scheme(session, actor, scheme_id)
    if data.name is not None:
        await _scheme_name_free(session, scheme.provider_id, data.name, but=scheme.id)
        scheme.name = data.name
    if data.address is not None:
        scheme.address = data.address
    if data.accommodation_type is not None:
        scheme.accommodation_type = data.accommodation_type
    if data.commissioned is not None:
        scheme.commissioned = data.commissioned
    scheme.updated_at = utcnow()
    audit.record(session, actor, "scheme.change", scheme_id=str(scheme.id))
    await session.flush()
    return await _one_scheme(session, actor, scheme)


async def record_visit(
    session: AsyncSession, actor: Actor, scheme_id: uuid.UUID, data: QualityVisitCreate
) -> QualityVisitRead:
    scheme = await _scheme(session, actor, scheme_id)
    visit = QualityVisit(
        org_id=scheme.org_id,
        scheme_id=scheme.id,
        visited_on=data.visited_on,
        visitor_name=data.visitor_name,
        visitor_role=data.visitor_role,
        is_senior=data.is_senior,
        findings=data.findings,
        actions=data.actions,
        recorded_by_id=actor.user.id,
    )
    session.add(visit)
    await session.flush()
    audit.record(session, actor, "scheme.visit", scheme_id=str(scheme.id))
    return _visit_read(visit, actor.user.display_name)


async def provider_concerns(
    session: AsyncSession, actor: Actor, provider_id: uuid.UUID
) -> list[ProviderConcernRead]:
    """What can be passed to the provider: names left out where the young person asked."""
    provider = await _provider(session, actor, provider_id)
    rows = await session.execute(
        select(
            AccommodationConcern,
            Scheme.name,
            YoungPerson.given_name,
            YoungPerson.preferred_name,
            YoungPerson.family_name,
        )
        .join(Scheme, Scheme.id == AccommodationConcern.scheme_id)
        .join(YoungPerson, YoungPerson.id == AccommodationConcern.young_person_id)
        .where(Scheme.provider_id == provider.id, visible(actor, Access.read))
        .order_by(AccommodationConcern.created_at.desc())
        .limit(STAFF_LIST_LIMIT)
    )
    found = [
        ProviderConcernRead(
            id=c.id,
            scheme_id=c.scheme_id,
            scheme_name=scheme_name,
            category=c.category,
            urgency=c.urgency,
            text=c.text,
            status=c.status,
            raised_on=london_date(c.created_at),
            outcome=c.outcome,
            closed_on=london_date(c.closed_at) if c.closed_at else None,
            young_person_name=None
            if c.anonymous_to_provider
            else full_name(given, preferred, family),
        )
        for c, scheme_name, given, preferred, family in rows
    ]
    audit.record(
        session, actor, "provider.concerns.read", provider_id=str(provider.id), count=len(found)
    )
    return found
