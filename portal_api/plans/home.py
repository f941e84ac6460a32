"""The pathway plan's piece of the phone's home screen (summary.service): columns for its one
query, the actions due soon among them.

The columns are correlated to ``YoungPerson.id`` so they ride in the home screen's single query;
the horizon of the actions due soon is a bound parameter for the young person's own statement,
so nothing of one request stays in it and it is built once per process (bench/README.md, issue 16).
"""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from portal_api.common.time import today
from portal_api.db.sql import json_rows, one_of
from portal_api.models import (
    ActionOwner,
    ActionStatus,
    PlanAction,
    PlanReviewRequest,
    PlanState,
    PlanVersion,
    YoungPerson,
)
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


# The columns of an action due soon, in the order actions_from reads them.
_ACTION_COLUMNS = (
    PlanAction.id,
    PlanAction.position,
    PlanAction.section_code,
    PlanAction.description,
    PlanAction.need,
    PlanAction.owner,
    PlanAction.owner_name,
    PlanAction.due_on,
    PlanAction.status,
    PlanAction.dropped_reason,
    PlanAction.completed_on,
)


def actions_due_column(horizon: Any) -> Any:
    """Correlated column for the summary query: the current plan's open actions due by
    ``horizon`` (a date or a bound parameter), overdue ones included, as JSON (``json_rows``).
    Was a query of its own per home screen, a fifth of its CPU with the round trip."""
    current = (
        select(PlanVersion.id)
        .where(PlanVersion.young_person_id == YoungPerson.id, PlanVersion.state == PlanState.agreed)
        .order_by(PlanVersion.agreed_on.desc(), PlanVersion.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(json_rows(*_ACTION_COLUMNS))
        .where(
            PlanAction.version_id == current,
            one_of(PlanAction.status, [status.name for status in OPEN]),
            PlanAction.due_on <= horizon,
        )
        .scalar_subquery()
    )


def horizon(within_days: int = SOON_DAYS) -> date:
    """The last day an action counts as due soon."""
    return today() + timedelta(days=within_days)


def actions_from(text: str | None) -> list[ActionRead]:
    """actions_due_column's JSON as the home screen's actions, soonest first."""
    actions = []
    for row in json.loads(text) if text else []:
        values = dict(zip((c.key for c in _ACTION_COLUMNS), row, strict=True))
        values["id"] = uuid.UUID(values["id"])
        values["owner"] = ActionOwner[values["owner"]] if values["owner"] else None
        values["status"] = ActionStatus[values["status"]]
        for day in ("due_on", "completed_on"):
            values[day] = date.fromisoformat(values[day]) if values[day] else None
        actions.append(PlanAction(**values))
    actions.sort(key=lambda a: (a.due_on, a.position))
    return [action_read(a) for a in actions]
