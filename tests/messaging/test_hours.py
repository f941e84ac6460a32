"""Office hours as a council counts them: Monday to Friday, 09:00 to 17:00 in London (GMT or BST),
except England and Wales bank holidays, substitute days included."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal_api.common.time import LONDON
from portal_api.messaging import hours

# The default office day a council starts with (organisation.office_opens/office_closes).
OFFICE = ("09:00", "17:00")


def _london(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


# --- working days ---------------------------------------------------------------------------------


def test_a_weekday_is_a_working_day() -> None:
    assert hours.is_working_day(date(2026, 11, 11))  # Wednesday


@pytest.mark.parametrize("day", [date(2026, 11, 14), date(2026, 11, 15)])
def test_the_weekend_is_not_a_working_day(day: date) -> None:
    assert not hours.is_working_day(day)


def test_christmas_day_is_not_a_working_day() -> None:
    assert not hours.is_working_day(date(2026, 12, 25))  # a Friday


def test_the_substitute_for_boxing_day_on_a_saturday_is_not_a_working_day() -> None:
    assert not hours.is_working_day(date(2026, 12, 28))  # Monday, Boxing Day (observed)


def test_a_scottish_only_bank_holiday_is_a_working_day_in_england() -> None:
    assert hours.is_working_day(date(2026, 1, 2))  # 2 January: Scotland only


# --- office hours ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hour", "minute", "open_now"),
    [(8, 59, False), (9, 0, True), (16, 59, True), (17, 0, False)],
)
def test_office_hours_edges_in_winter(hour: int, minute: int, open_now: bool) -> None:
    assert hours.in_office_hours(_london(2026, 11, 11, hour, minute), *OFFICE) is open_now


@pytest.mark.parametrize(
    ("hour", "minute", "open_now"),
    [(8, 59, False), (9, 0, True), (16, 59, True), (17, 0, False)],
)
def test_office_hours_edges_in_summer_time(hour: int, minute: int, open_now: bool) -> None:
    assert hours.in_office_hours(_london(2026, 7, 1, hour, minute), *OFFICE) is open_now


def test_a_utc_moment_is_judged_by_the_london_clock_in_summer_time() -> None:
    # 08:30 UTC on 1 July is 09:30 BST: open. 16:30 UTC is 17:30 BST: closed.
    assert hours.in_office_hours(datetime(2026, 7, 1, 8, 30, tzinfo=UTC), *OFFICE)
    assert not hours.in_office_hours(datetime(2026, 7, 1, 16, 30, tzinfo=UTC), *OFFICE)


def test_office_hours_are_closed_on_a_bank_holiday_morning() -> None:
    assert not hours.in_office_hours(_london(2026, 12, 25, 10), *OFFICE)


def test_office_hours_follow_the_organisations_own_times() -> None:
    moment = _london(2026, 11, 11, 8, 30)

    assert hours.in_office_hours(moment, "08:30", "16:30")
    assert not hours.in_office_hours(moment, *OFFICE)


# --- next opening ---------------------------------------------------------------------------------


def test_next_opening_after_friday_close_is_monday_morning() -> None:
    opens = hours.next_opening(_london(2026, 11, 13, 17, 30), *OFFICE)

    assert opens == _london(2026, 11, 16, 9)
    assert opens.astimezone(LONDON).weekday() == 0


def test_next_opening_before_opening_is_the_same_morning() -> None:
    assert hours.next_opening(_london(2026, 11, 11, 7, 15), *OFFICE) == _london(2026, 11, 11, 9)


def test_next_opening_while_open_is_now() -> None:
    moment = _london(2026, 11, 11, 10, 30)

    assert hours.next_opening(moment, *OFFICE) == moment


def test_next_opening_skips_christmas_and_the_substitute_bank_holiday() -> None:
    # Christmas Eve evening: 25th (Fri), weekend and 28th (substitute) are closed.
    assert hours.next_opening(_london(2026, 12, 24, 17, 30), *OFFICE) == _london(2026, 12, 29, 9)


def test_next_opening_across_the_clocks_going_forward_is_nine_bst() -> None:
    opens = hours.next_opening(
        _london(2026, 3, 27, 18), *OFFICE
    )  # Friday; clocks change on Sunday 29th

    assert opens == _london(2026, 3, 30, 9)
    assert opens.astimezone(UTC) == datetime(2026, 3, 30, 8, tzinfo=UTC)


# --- working hours between two moments --------------------------------------------------------


def test_working_hours_between_skip_the_weekend() -> None:
    # Friday 16:00 to Monday 10:00: one hour on Friday, one on Monday.
    assert (
        hours.working_hours_between(_london(2026, 11, 13, 16), _london(2026, 11, 16, 10), *OFFICE)
        == 2.0
    )


def test_working_hours_between_skip_bank_holidays() -> None:
    # Thursday 24 December 16:00 to Tuesday 29 December 10:00: one hour each side.
    assert (
        hours.working_hours_between(_london(2026, 12, 24, 16), _london(2026, 12, 29, 10), *OFFICE)
        == 2.0
    )


def test_working_hours_between_outside_hours_is_zero() -> None:
    assert (
        hours.working_hours_between(_london(2026, 11, 13, 18), _london(2026, 11, 16, 8), *OFFICE)
        == 0.0
    )


def test_working_hours_between_a_moment_and_an_earlier_one_is_zero() -> None:
    start = _london(2026, 11, 11, 12)

    assert hours.working_hours_between(start, _london(2026, 11, 11, 10), *OFFICE) == 0.0


def test_working_hours_between_mix_utc_and_london_moments() -> None:
    # 08:00 UTC on 1 July is 09:00 BST; to 12:00 BST is three office hours.
    start = datetime(2026, 7, 1, 8, tzinfo=UTC)

    assert hours.working_hours_between(start, _london(2026, 7, 1, 12), *OFFICE) == 3.0


def test_a_working_day_is_eight_hours() -> None:
    assert hours.working_day_hours(*OFFICE) == 8.0


@pytest.mark.parametrize(
    ("sent", "due"),
    [
        # Monday 10:00 GMT: the next working day at the same time.
        (datetime(2026, 11, 30, 10, tzinfo=UTC), datetime(2026, 12, 1, 10, tzinfo=UTC)),
        # At opening: that day's close.
        (datetime(2026, 11, 30, 9, tzinfo=UTC), datetime(2026, 11, 30, 17, tzinfo=UTC)),
        # Friday evening: Monday's close.
        (datetime(2026, 11, 27, 18, tzinfo=UTC), datetime(2026, 11, 30, 17, tzinfo=UTC)),
        # Christmas Eve 16:00: an hour that day, then Christmas, Boxing Day (a Saturday, so the
        # bank holiday moves to Monday 28th) and the weekend; due Tuesday 29th at 16:00.
        (datetime(2026, 12, 24, 16, tzinfo=UTC), datetime(2026, 12, 29, 16, tzinfo=UTC)),
        # Friday 23 October 2026 14:00 BST, across the clocks going back on the 25th.
        (datetime(2026, 10, 23, 13, tzinfo=UTC), datetime(2026, 10, 26, 14, tzinfo=UTC)),
    ],
)
def test_one_working_day_after_a_message(sent: datetime, due: datetime) -> None:
    assert hours.after_working_hours(sent, 8, *OFFICE) == due
    assert hours.working_hours_between(sent, due, *OFFICE) == pytest.approx(8)
