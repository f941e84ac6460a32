"""What the overview and the caseload both read, for any number of young people in a fixed
number of queries: plan dates, checklist progress, and the facts checklist rules look at."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.time import today
from portal_api.console.schemas import DocumentsProgress, PlanDates
from portal_api.documents import service as documents
from portal_api.models import (
    PlanReviewRequest,
    PlanState,
    PlanVersion,
    StatusObservation,
    YoungPerson,
)
from portal_api.people import legal_status
from portal_api.people.facts import EligibilityFacts
from portal_api.people.status import periods_of
from portal_api.plans.dates import next_review_on, overdue_days


def latest_observation(column: Any) -> Any:
    """Correlated: the young person's latest recorded in touch / activity / accommodation."""
    return (
        select(column)
        .where(StatusObservation.young_person_id == YoungPerson.id)
        .order_by(StatusObservation.recorded_on.desc(), StatusObservation.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def observation_columns() -> dict[str, Any]:
    return {
        "in_touch": latest_observation(StatusObservation.in_touch),
        "activity": latest_observation(StatusObservation.activity),
        "accommodation": latest_observation(StatusObservation.accommodation),
        "item_states": documents.item_states_column(),
    }


async def progress_of(session: AsyncSession, person: YoungPerson, values: Any) -> DocumentsProgress:
    """Checklist progress from the observation and item-state columns (care periods loaded)."""
    facts = EligibilityFacts(
        person,
        tuple(periods_of(person)),
        values.in_touch,
        values.activity,
        values.accommodation,
    )
    done = await documents.progress(session, facts, values.item_states)
    return DocumentsProgress(done=done.done, applicable=done.applicable)


async def plan_dates(
    session: AsyncSession, people: Sequence[YoungPerson]
) -> dict[uuid.UUID, PlanDates]:
    """Plan dates for each young person (care periods loaded): three queries for any number."""
    ids = [p.id for p in people]
    if not ids:
        return {}
    agreed: dict[uuid.UUID, tuple[date | None, date | None]] = {}
    for yp_id, agreed_on, review_by in await session.execute(
        select(PlanVersion.young_person_id, PlanVersion.agreed_on, PlanVersion.review_by)
        .where(PlanVersion.young_person_id.in_(ids), PlanVersion.state == PlanState.agreed)
        .order_by(PlanVersion.agreed_on)
    ):
        agreed[yp_id] = (agreed_on, review_by)
    in_progress: dict[uuid.UUID, PlanState] = dict(
        (
            await session.execute(
                select(PlanVersion.young_person_id, PlanVersion.state).where(
                    PlanVersion.young_person_id.in_(ids), PlanVersion.state != PlanState.agreed
                )
            )
        ).all()
    )
    asked: dict[uuid.UUID, list[date]] = {}
    for yp_id, due_on in await session.execute(
        select(PlanReviewRequest.young_person_id, PlanReviewRequest.due_on).where(
            PlanReviewRequest.young_person_id.in_(ids),
            PlanReviewRequest.met_by_version_id.is_(None),
        )
    ):
        asked.setdefault(yp_id, []).append(due_on)
    on = today()
    dates = {}
    for person in people:
        first_due = legal_status.first_plan_due_on(person.date_of_birth, periods_of(person))
        agreed_on, review_by = agreed.get(person.id, (None, None))
        due = next_review_on(agreed_on, review_by, asked.get(person.id, []), first_due)
        dates[person.id] = PlanDates(
            latest_agreed_on=agreed_on,
            first_plan_due_on=first_due,
            next_review_due_on=due,
            overdue_days=overdue_days(due, on),
            in_progress_state=in_progress.get(person.id),
            open_review_requests=len(asked.get(person.id, [])),
        )
    return dates
