"""The dated records, read as they stood on a date: one aggregated subquery per kind of record
(joined to the young people in queries.py, so each young person comes back as one row), and the
few histories that stay several rows per young person (checklists, entitlements, allocations).

Every subquery is limited to the young people in scope (``ids``), so a shared deployment never
aggregates another council's rows.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from portal_api.common.time import LONDON
from portal_api.content.library import Page
from portal_api.models import (
    Allocation,
    CarePeriod,
    Contact,
    DocumentEvent,
    DocumentEventKind,
    DocumentItem,
    DocumentState,
    EntitlementRecord,
    EntitlementStatus,
    LocalOfferResponse,
    PlanReceipt,
    PlanState,
    PlanVersion,
    StatusObservation,
    YoungPerson,
)
from portal_api.people import legal_status
from portal_api.people.facts import care_period_as_text
from portal_api.reports.measures.facts import DocumentFacts, EntitlementFacts

_DAY = timedelta(days=1)


def london_day_ends(on: date) -> datetime:
    """The UTC instant at which ``on`` ends in England: a response at 00:30 BST the next day
    does not count for ``on``."""
    return datetime.combine(on + _DAY, time(0), tzinfo=LONDON).astimezone(UTC)


# --- one row per young person, joined to them ---------------------------------------------------


def care_periods(ids: Any) -> Subquery:
    """Every care period as 'start:end;start:end' (end empty while still looked after)."""
    return (
        select(
            CarePeriod.young_person_id.label("yp"),
            func.aggregate_strings(care_period_as_text(), ";").label("periods"),
        )
        .where(CarePeriod.young_person_id.in_(ids))
        .group_by(CarePeriod.young_person_id)
        .subquery("periods")
    )


def latest_observation(ids: Any, on: date) -> Subquery:
    """Each young person's latest observation on or before ``on`` (the later record wins a tie)."""
    ranked = (
        select(
            StatusObservation.young_person_id,
            StatusObservation.in_touch,
            StatusObservation.activity,
            StatusObservation.accommodation,
            func.row_number()
            .over(
                partition_by=StatusObservation.young_person_id,
                order_by=(
                    StatusObservation.recorded_on.desc(),
                    StatusObservation.created_at.desc(),
                ),
            )
            .label("rank"),
        )
        .where(StatusObservation.young_person_id.in_(ids), StatusObservation.recorded_on <= on)
        .subquery()
    )
    return (
        select(
            ranked.c.young_person_id.label("yp"),
            ranked.c.in_touch,
            ranked.c.activity,
            ranked.c.accommodation,
        )
        .where(ranked.c.rank == 1)
        .subquery("observation")
    )


def plans(ids: Any, on: date) -> Subquery:
    """The first and the latest plan agreed on or before ``on``, and when the young person first
    had the latest one (a receipt on or before ``on``)."""
    ranked = (
        select(
            PlanVersion.young_person_id,
            PlanVersion.id,
            PlanVersion.agreed_on,
            func.row_number()
            .over(
                partition_by=PlanVersion.young_person_id,
                order_by=(PlanVersion.agreed_on.desc(), PlanVersion.number.desc()),
            )
            .label("rank"),
            func.min(PlanVersion.agreed_on)
            .over(partition_by=PlanVersion.young_person_id)
            .label("first_agreed_on"),
        )
        .where(
            PlanVersion.young_person_id.in_(ids),
            PlanVersion.state == PlanState.agreed,
            PlanVersion.agreed_on <= on,
        )
        .subquery()
    )
    copies = (
        select(PlanReceipt.version_id, func.min(PlanReceipt.received_on).label("copy_on"))
        .where(PlanReceipt.young_person_id.in_(ids), PlanReceipt.received_on <= on)
        .group_by(PlanReceipt.version_id)
        .subquery()
    )
    return (
        select(
            ranked.c.young_person_id.label("yp"),
            ranked.c.first_agreed_on,
            ranked.c.agreed_on.label("latest_agreed_on"),
            copies.c.copy_on,
        )
        .outerjoin(copies, copies.c.version_id == ranked.c.id)
        .where(ranked.c.rank == 1)
        .subquery("plan")
    )


def last_contact(ids: Any, on: date) -> Subquery:
    return (
        select(Contact.young_person_id.label("yp"), func.max(Contact.contact_on).label("last_on"))
        .where(Contact.young_person_id.in_(ids), Contact.contact_on <= on)
        .group_by(Contact.young_person_id)
        .subquery("contact")
    )


def responded(ids: Any, on: date, core_pages: list[Page], dialect: str) -> Subquery:
    """A bit per core page (its index in ``core_pages``) answered at its current revision by the
    end of ``on`` in London. PostgreSQL has BIT_OR, which it can aggregate by hashing; SQLite
    does not, and SUM(DISTINCT) of distinct powers of two is the same number."""
    bit: ColumnElement[int] = case(
        *[
            (
                and_(
                    LocalOfferResponse.slug == page.slug,
                    LocalOfferResponse.revision == page.meta.revision,
                ),
                1 << i,
            )
            for i, page in enumerate(core_pages)
        ],
        else_=0,
    )
    return (
        select(
            LocalOfferResponse.young_person_id.label("yp"),
            (func.bit_or(bit) if dialect == "postgresql" else func.sum(bit.distinct())).label(
                "mask"
            ),
        )
        .where(
            LocalOfferResponse.young_person_id.in_(ids),
            LocalOfferResponse.slug.in_([p.slug for p in core_pages]),
            LocalOfferResponse.created_at < london_day_ends(on),
        )
        .group_by(LocalOfferResponse.young_person_id)
        .subquery("responded")
    )


# --- several rows per young person --------------------------------------------------------------


async def documents(
    conn: AsyncConnection, conditions: list[ColumnElement[bool]], on: date
) -> dict[uuid.UUID, dict[uuid.UUID, DocumentFacts]]:
    """Checklist histories of the documents cohort only: 18th birthday in the 12 months up to
    ``on`` (a day's margin each side; the exact cohort is decided in Python)."""
    cohort = select(YoungPerson.id).where(
        *conditions,
        YoungPerson.date_of_birth >= legal_status.add_years(on, -19) - _DAY,
        YoungPerson.date_of_birth <= legal_status.add_years(on, -18) + _DAY,
    )
    rows = await conn.execute(
        select(
            DocumentEvent.young_person_id,
            DocumentItem.type_id,
            DocumentEvent.state,
            DocumentEvent.event_on,
        )
        .join(DocumentItem, DocumentItem.id == DocumentEvent.item_id)
        .where(
            DocumentEvent.young_person_id.in_(cohort),
            DocumentEvent.kind == DocumentEventKind.state_change,
            DocumentEvent.state.is_not(None),
            DocumentEvent.event_on <= on,
        )
        .order_by(DocumentEvent.event_on, DocumentEvent.created_at)
    )
    found: dict[uuid.UUID, dict[uuid.UUID, DocumentFacts]] = defaultdict(dict)
    for yp, type_id, state, event_on in rows.all():
        assert state is not None  # the query asks for state changes only
        before = found[yp].get(type_id)
        reached = before.reached_on if before else None
        if reached is None and state is DocumentState.with_young_person:
            reached = event_on
        found[yp][type_id] = DocumentFacts(reached_on=reached, state=state)
    return found


async def entitlements(
    conn: AsyncConnection, ids: Any, on: date, pages: list[Page]
) -> dict[uuid.UUID, dict[str, EntitlementFacts]]:
    """Per young person and claimable page: the latest status on or before ``on``, and the first
    time it was received."""
    if not pages:
        return {}
    partition = (EntitlementRecord.young_person_id, EntitlementRecord.slug)
    received_on = case(
        (EntitlementRecord.status == EntitlementStatus.received, EntitlementRecord.status_on)
    )
    ranked = (
        select(
            EntitlementRecord.young_person_id,
            EntitlementRecord.slug,
            EntitlementRecord.status,
            EntitlementRecord.status_on,
            func.row_number()
            .over(
                partition_by=partition,
                order_by=(EntitlementRecord.status_on.desc(), EntitlementRecord.created_at.desc()),
            )
            .label("rank"),
            func.min(received_on).over(partition_by=partition).label("received_on"),
        )
        .where(
            EntitlementRecord.young_person_id.in_(ids),
            EntitlementRecord.slug.in_([p.slug for p in pages]),
            EntitlementRecord.status_on <= on,
        )
        .subquery()
    )
    rows = await conn.execute(
        select(
            ranked.c.young_person_id,
            ranked.c.slug,
            ranked.c.status,
            ranked.c.status_on,
            ranked.c.received_on,
        ).where(ranked.c.rank == 1)
    )
    found: dict[uuid.UUID, dict[str, EntitlementFacts]] = defaultdict(dict)
    for yp, slug, status, status_on, first_received in rows.all():
        found[yp][slug] = EntitlementFacts(
            status=status,  # an EntitlementStatus already: the column's type is kept
            status_on=status_on,
            received_on=_as_date(first_received),
        )
    return found


def _as_date(value: date | str | None) -> date | None:
    # SQLite returns a window MIN over a CASE as text: the type is lost through the CASE.
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


async def adviser_history(
    conn: AsyncConnection, ids: Any, on: date
) -> dict[uuid.UUID, list[tuple[date, uuid.UUID | None]]]:
    """(started_on, adviser) of every allocation that started on or before ``on``, in order."""
    rows = await conn.execute(
        select(Allocation.young_person_id, Allocation.started_on, Allocation.adviser_id)
        .where(Allocation.young_person_id.in_(ids), Allocation.started_on <= on)
        .order_by(Allocation.started_on, Allocation.created_at)
    )
    history: dict[uuid.UUID, list[tuple[date, uuid.UUID | None]]] = defaultdict(list)
    for yp, started_on, adviser in rows.all():
        history[yp].append((started_on, adviser))
    return history
