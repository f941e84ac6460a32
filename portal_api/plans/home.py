"""The pathway plan's piece of the phone's home screen (summary.service): columns for its one
query, and the actions due soon in a statement built once.

The columns are correlated to ``YoungPerson.id`` so they ride in the home screen's single query;
the actions query has the plan version and the horizon as bound parameters, so nothing of one
request stays in the statement and it is built once per process (bench/README.md, issue 16).
"""

from __future__ import annotations

import functools
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import Date, Select, Uuid, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.time import today
from portal_api.models import PlanAction, PlanReviewRequest, PlanState, PlanVersion, YoungPerson
from portal_api.plans.schemas import ActionRead
from portal_api.plans.service import OPEN, action_read

SOON_DAYS = 14


def latest_agreed_columns() -> dict[str, Any]:
    """Correlated columns for the summary query, by label: the current version's id, agreed date
    and review-by date, the earliest open review request's due date, and the version shared with
    the young person and waiting for their answer (its number and when it was shared)."""

    def latest(column: Any) -> Any:
        return (
            select(column)
            .where(
                PlanVersion.young_person_id == YoungPerson.id, PlanVersion.state == PlanState.agreed
            )
            .order_by(PlanVersion.agreed_on.desc(), PlanVersion.number.desc())
            .limit(1)
            .scalar_subquery()
        )

    def awaiting(column: Any) -> Any:
        # Was a query of its own per home screen (plans.awaiting_answer); the same rule here.
        return (
            select(column)
            .where(
                PlanVersion.young_person_id == YoungPerson.id,
                PlanVersion.state == PlanState.awaiting_response,
            )
            .order_by(PlanVersion.number.desc())
            .limit(1)
            .scalar_subquery()
        )

    requested = (
        select(func.min(PlanReviewRequest.due_on))
        .where(
            PlanReviewRequest.young_person_id == YoungPerson.id,
            PlanReviewRequest.met_by_version_id.is_(None),
        )
        .scalar_subquery()
    )
    return {
        "plan_version_id": latest(PlanVersion.id),
        "plan_agreed_on": latest(PlanVersion.agreed_on),
        "plan_review_by": latest(PlanVersion.review_by),
        "review_requested_by": requested,
        "awaiting_number": awaiting(PlanVersion.number),
        "awaiting_shared_at": awaiting(PlanVersion.submitted_at),
    }


@functools.cache
def _actions_due_select() -> Select[Any]:
    return (
        select(PlanAction)
        .where(
            PlanAction.version_id == bindparam("version_id", type_=Uuid()),
            PlanAction.status.in_(OPEN),
            PlanAction.due_on <= bindparam("horizon", type_=Date()),
        )
        .order_by(PlanAction.due_on)
    )


async def actions_due(
    session: AsyncSession, version_id: uuid.UUID | None, within_days: int = SOON_DAYS
) -> list[ActionRead]:
    """Open actions of the current plan that are overdue or due in the next ``within_days``."""
    if version_id is None:
        return []
    horizon = today() + timedelta(days=within_days)
    rows = await session.execute(
        _actions_due_select(), {"version_id": version_id, "horizon": horizon}
    )
    return [action_read(a) for a in rows.scalars()]
