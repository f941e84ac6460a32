"""The dates a pathway plan runs to (portal_api/plans/dates.py): review six calendar months after
agreement unless something sooner applies, the first plan before any is agreed, and days overdue."""

from __future__ import annotations

from datetime import date

import pytest

from portal_api.plans.dates import (
    REVIEW_MONTHS,
    REVIEW_REQUEST_DAYS,
    next_review_on,
    overdue_days,
    review_due_on,
)


def test_the_rules_are_six_months_and_28_days() -> None:
    assert REVIEW_MONTHS == 6
    assert REVIEW_REQUEST_DAYS == 28


def test_review_is_due_six_calendar_months_after_agreement() -> None:
    assert review_due_on(date(2026, 6, 1), None) == date(2026, 12, 1)
    assert review_due_on(date(2026, 9, 15), None) == date(2027, 3, 15)


@pytest.mark.parametrize(
    ("agreed_on", "due_on"),
    [
        (date(2026, 8, 31), date(2027, 2, 28)),
        (date(2027, 8, 31), date(2028, 2, 29)),  # leap year
        (date(2026, 12, 31), date(2027, 6, 30)),
        (date(2026, 3, 31), date(2026, 9, 30)),
    ],
)
def test_a_month_too_short_for_the_day_ends_on_its_last_day(agreed_on: date, due_on: date) -> None:
    assert review_due_on(agreed_on, None) == due_on


def test_an_earlier_review_by_date_wins() -> None:
    assert review_due_on(date(2026, 6, 1), date(2026, 9, 1)) == date(2026, 9, 1)


def test_a_later_review_by_date_does_not_put_the_review_off() -> None:
    assert review_due_on(date(2026, 6, 1), date(2027, 3, 1)) == date(2026, 12, 1)


def test_an_earlier_review_request_wins() -> None:
    due = review_due_on(date(2026, 6, 1), date(2026, 10, 1), [date(2026, 11, 1), date(2026, 7, 1)])

    assert due == date(2026, 7, 1)


def test_a_later_review_request_does_not_put_the_review_off() -> None:
    assert review_due_on(date(2026, 6, 1), None, [date(2027, 1, 1)]) == date(2026, 12, 1)


def test_nothing_agreed_and_nothing_asked_has_no_review_date() -> None:
    assert review_due_on(None, None) is None


def test_next_review_with_an_agreed_plan_is_its_review() -> None:
    assert next_review_on(date(2026, 6, 1), None, [], date(2024, 8, 1)) == date(2026, 12, 1)


def test_next_review_with_an_agreed_plan_honours_review_by_and_requests() -> None:
    assert next_review_on(date(2026, 6, 1), date(2026, 10, 1), [], None) == date(2026, 10, 1)
    assert next_review_on(date(2026, 6, 1), None, [date(2026, 7, 3)], None) == date(2026, 7, 3)


def test_next_review_with_no_agreed_plan_is_the_first_plan_due() -> None:
    assert next_review_on(None, None, [], date(2026, 8, 1)) == date(2026, 8, 1)


def test_a_request_before_the_first_plan_is_due_brings_it_forward() -> None:
    assert next_review_on(None, None, [date(2026, 7, 1)], date(2026, 8, 1)) == date(2026, 7, 1)
    assert next_review_on(None, None, [date(2026, 9, 1)], date(2026, 8, 1)) == date(2026, 8, 1)


def test_no_plan_duty_and_nothing_asked_has_no_next_review() -> None:
    assert next_review_on(None, None, [], None) is None


def test_no_plan_duty_but_a_request_is_due_on_the_request() -> None:
    assert next_review_on(None, None, [date(2026, 7, 1)], None) == date(2026, 7, 1)


@pytest.mark.parametrize(
    ("due_on", "days"),
    [
        (date(2026, 11, 30), 0),  # tomorrow
        (date(2026, 11, 29), 0),  # today: due, not late
        (date(2026, 11, 28), 1),  # yesterday
        (date(2026, 10, 29), 31),
        (None, 0),
    ],
)
def test_overdue_days(due_on: date | None, days: int) -> None:
    assert overdue_days(due_on, date(2026, 11, 29)) == days
