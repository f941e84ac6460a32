"""Plan dates across a caseload or team, most urgent first (SQL for the facts, rules in Python)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from portal_api.common.actor import Actor
from portal_api.common.time import today
from portal_api.models import LegalStatus, PlanReviewRequest, PlanState, PlanVersion, YoungPerson
from portal_api.people import legal_status
from portal_api.people.scope import Access, visible
from portal_api.people.status import periods_of, status_of
from portal_api.plans.dates import next_review_on, overdue_days
from portal_api.plans.schemas import CaseloadPlanRow, ReviewRequestRead
from portal_api.plans.service import request_read

PLAN_DUTY = (LegalStatus.eligible, LegalStatus.relevant, LegalStatus.former_relevant)


async def plan_dates(session: AsyncSession, actor: Actor, *, mine: bool) -> list[CaseloadPlanRow]:
    query = (
        select(YoungPerson)
        .options(selectinload(YoungPerson.care_periods))
        .where(visible(actor, Access.read), YoungPerson.closed_on.is_(None))
    )
    if mine:
        query = query.where(YoungPerson.personal_adviser_id == actor.user.id)
    people = list((await session.execute(query)).scalars())
    ids = [p.id for p in people]
    latest: dict[uuid.UUID, tuple[date | None, date | None]] = {}
    for yp_id, agreed_on, review_by in (
        await session.execute(
            select(PlanVersion.young_person_id, PlanVersion.agreed_on, PlanVersion.review_by)
            .where(PlanVersion.young_person_id.in_(ids), PlanVersion.state == PlanState.agreed)
            .order_by(PlanVersion.agreed_on)
        )
    ).all():
        latest[yp_id] = (agreed_on, review_by)
    in_progress = dict(
        (
            await session.execute(
                select(PlanVersion.young_person_id, PlanVersion.state).where(
                    PlanVersion.young_person_id.in_(ids), PlanVersion.state != PlanState.agreed
                )
            )
        ).all()
    )
    requests: dict[uuid.UUID, list[date]] = {}
    for yp_id, due_on in (
        await session.execute(
            select(PlanReviewRequest.young_person_id, PlanReviewRequest.due_on).where(
                PlanReviewRequest.young_person_id.in_(ids),
                PlanReviewRequest.met_by_version_id.is_(None),
            )
        )
    ).all():
        requests.setdefault(yp_id, []).append(due_on)
    on = today()
    rows = []
    for person in people:
        periods = periods_of(person)
        status = status_of(person, periods, on)
        if status not in PLAN_DUTY:
            continue
        first_due = legal_status.first_plan_due_on(person.date_of_birth, periods)
        agreed_on, review_by = latest.get(person.id, (None, None))
        asked = requests.get(person.id, [])
        due = next_review_on(agreed_on, review_by, asked, first_due)
        rows.append(
            CaseloadPlanRow(
                young_person_id=person.id,
                full_name=person.full_name,
                status=status,
                first_plan_due_on=first_due,
                latest_agreed_on=agreed_on,
                next_review_due_on=due,
                overdue_days=overdue_days(due, on),
                in_progress_state=in_progress.get(person.id),
                open_review_requests=len(asked),
            )
        )
    rows.sort(
        key=lambda r: (-r.overdue_days, r.next_review_due_on or on.replace(year=on.year + 10))
    )
    return rows


async def open_review_requests(session: AsyncSession, actor: Actor) -> list[ReviewRequestRead]:
    rows = await session.execute(
        select(PlanReviewRequest)
        .join(YoungPerson, YoungPerson.id == PlanReviewRequest.young_person_id)
        .where(visible(actor, Access.read), PlanReviewRequest.met_by_version_id.is_(None))
        .order_by(PlanReviewRequest.requested_on)
    )
    return [request_read(r) for r in rows.scalars()]
