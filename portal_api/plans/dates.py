"""The dates a pathway plan runs to (DOMAIN.md §2): first plan due, review due, overdue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from portal_api.people import legal_status

REVIEW_MONTHS = 6
# A review someone asked for is due within 28 days: a decision of ours, written in docs/measures.md.
REVIEW_REQUEST_DAYS = 28


def review_due_on(
    agreed_on: date | None, review_by: date | None, requested: Iterable[date] = ()
) -> date | None:
    """Six calendar months after agreement, or sooner if the PA set a date or someone asked."""
    candidates = list(requested)
    if agreed_on is not None:
        candidates.append(legal_status.add_months(agreed_on, REVIEW_MONTHS))
    if review_by is not None:
        candidates.append(review_by)
    return min(candidates) if candidates else None


def overdue_days(due_on: date | None, on: date) -> int:
    return max((on - due_on).days, 0) if due_on is not None else 0


def next_review_on(
    agreed_on: date | None,
    review_by: date | None,
    requested: Iterable[date],
    first_plan_due_on: date | None,
) -> date | None:
    """When the next plan is due: a review of the current one, or the first plan if none is
    agreed yet (brought forward by any review someone asked for)."""
    asked = list(requested)
    if agreed_on is not None:
        return review_due_on(agreed_on, review_by, asked)
    candidates = [*asked, *([first_plan_due_on] if first_plan_due_on else [])]
    return min(candidates) if candidates else None
