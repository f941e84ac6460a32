"""Legal status from dates: the DOMAIN.md section 1 reading, its boundaries, and first plan due."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal_api.models import LegalStatus
from portal_api.people.legal_status import (
    CarePeriod,
    add_months,
    add_years,
    age_on,
    became_eligible_on,
    computed_status,
    days_looked_after_after_14,
    first_plan_due_on,
    is_looked_after_on,
)

# Born 10 March 2008: 14 on 2022-03-10, 16 on 2024-03-10, 18 on 2026-03-10, 21 on 2029-03-10,
# 25 on 2033-03-10.
DOB = date(2008, 3, 10)
# Born on a leap day: 14 on 2022-03-01, 16 on 2024-02-29, 18 on 2026-03-01 (common years).
LEAP_DOB = date(2008, 2, 29)
# A leap-day birth whose 16th birthday falls in a common year (2100 is not a leap year).
LEAP_DOB_2084 = date(2084, 2, 29)

SINCE_AGE_10 = (CarePeriod(date(2018, 6, 1), None),)


@pytest.mark.parametrize(
    ("d", "years", "expected"),
    [
        pytest.param(DOB, 16, date(2024, 3, 10), id="ordinary_birthday"),
        pytest.param(LEAP_DOB, 16, date(2024, 2, 29), id="leap_day_in_leap_year"),
        pytest.param(LEAP_DOB, 18, date(2026, 3, 1), id="leap_day_in_common_year_is_1_march"),
        pytest.param(LEAP_DOB_2084, 16, date(2100, 3, 1), id="leap_day_in_century_common_year"),
        pytest.param(date(2024, 2, 29), -1, date(2023, 3, 1), id="negative_years_from_leap_day"),
    ],
)
def test_add_years_reads_leap_day_birthdays_as_1_march(d: date, years: int, expected: date) -> None:
    assert add_years(d, years) == expected


@pytest.mark.parametrize(
    ("d", "months", "expected"),
    [
        pytest.param(date(2023, 8, 31), 6, date(2024, 2, 29), id="31_aug_plus_6_leap_year"),
        pytest.param(date(2022, 8, 31), 6, date(2023, 2, 28), id="31_aug_plus_6_common_year"),
        pytest.param(date(2024, 11, 30), 3, date(2025, 2, 28), id="30_nov_plus_3_crosses_year"),
        pytest.param(date(2024, 12, 31), 1, date(2025, 1, 31), id="31_dec_plus_1"),
        pytest.param(date(2024, 2, 29), 12, date(2025, 2, 28), id="leap_day_plus_12_clamps"),
        pytest.param(date(2025, 3, 1), -6, date(2024, 9, 1), id="1_march_minus_6_is_1_september"),
        pytest.param(date(2023, 3, 31), -1, date(2023, 2, 28), id="31_march_minus_1_clamps"),
        pytest.param(date(2024, 10, 31), -1, date(2024, 9, 30), id="31_oct_minus_1_clamps"),
        pytest.param(date(2024, 1, 15), -13, date(2022, 12, 15), id="minus_13_crosses_two_years"),
        pytest.param(date(2024, 5, 31), 0, date(2024, 5, 31), id="zero_months"),
    ],
)
def test_add_months_uses_calendar_months_clamped_to_month_end(
    d: date, months: int, expected: date
) -> None:
    assert add_months(d, months) == expected


@pytest.mark.parametrize(
    ("date_of_birth", "on", "expected"),
    [
        pytest.param(DOB, DOB, 0, id="day_of_birth"),
        pytest.param(DOB, date(2024, 3, 9), 15, id="day_before_16th"),
        pytest.param(DOB, date(2024, 3, 10), 16, id="16th_birthday"),
        pytest.param(LEAP_DOB, date(2024, 2, 28), 15, id="leap_day_birth_day_before_16th"),
        pytest.param(LEAP_DOB, date(2024, 2, 29), 16, id="leap_day_birth_16th_in_leap_year"),
        pytest.param(LEAP_DOB, date(2026, 2, 28), 17, id="leap_day_birth_28_feb_common_year"),
        pytest.param(LEAP_DOB, date(2026, 3, 1), 18, id="leap_day_birth_18th_on_1_march"),
        pytest.param(LEAP_DOB_2084, date(2100, 2, 28), 15, id="leap_day_birth_2100_28_feb"),
        pytest.param(LEAP_DOB_2084, date(2100, 3, 1), 16, id="leap_day_birth_2100_1_march"),
    ],
)
def test_age_on_agrees_with_add_years(date_of_birth: date, on: date, expected: int) -> None:
    assert age_on(date_of_birth, on) == expected


def test_age_on_before_birth_is_an_error() -> None:
    with pytest.raises(ValueError, match="before the date of birth"):
        age_on(DOB, date(2008, 3, 9))


def test_care_period_ending_before_it_starts_is_an_error() -> None:
    with pytest.raises(ValueError, match="ends"):
        CarePeriod(date(2024, 3, 10), date(2024, 3, 9))


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(date(2024, 3, 9), False, id="day_before_start"),
        pytest.param(date(2024, 3, 10), True, id="start_day_included"),
        pytest.param(date(2024, 4, 9), True, id="last_day_before_leaving"),
        pytest.param(date(2024, 4, 10), False, id="day_they_left_excluded"),
        pytest.param(date(2024, 5, 31), False, id="between_periods"),
        pytest.param(date(2030, 1, 1), True, id="open_period"),
    ],
)
def test_is_looked_after_on_start_inclusive_end_exclusive(on: date, expected: bool) -> None:
    periods = (
        CarePeriod(date(2024, 3, 10), date(2024, 4, 10)),
        CarePeriod(date(2024, 6, 1), None),
    )
    assert is_looked_after_on(periods, on) is expected


@pytest.mark.parametrize(
    ("date_of_birth", "periods", "as_of", "expected"),
    [
        pytest.param(DOB, SINCE_AGE_10, date(2022, 3, 9), 0, id="as_of_before_14th"),
        pytest.param(DOB, SINCE_AGE_10, date(2022, 3, 10), 1, id="14th_birthday_and_as_of_count"),
        pytest.param(
            DOB,
            (CarePeriod(date(2019, 1, 1), date(2022, 6, 8)),),
            date(2025, 1, 1),
            90,
            id="episode_before_14_counts_from_14th",
        ),
        pytest.param(DOB, SINCE_AGE_10, date(2030, 1, 1), 1461, id="stops_the_day_before_18th"),
        pytest.param(
            DOB,
            (
                CarePeriod(date(2024, 3, 10), date(2024, 4, 10)),
                CarePeriod(date(2024, 4, 1), date(2024, 5, 1)),
                CarePeriod(date(2024, 3, 10), date(2024, 4, 10)),
            ),
            date(2025, 1, 1),
            52,
            id="overlapping_records_count_each_day_once",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2024, 3, 10), date(2024, 3, 10)),),
            date(2025, 1, 1),
            0,
            id="same_day_period_counts_nothing",
        ),
        pytest.param(
            LEAP_DOB,
            (CarePeriod(date(2022, 2, 1), date(2022, 5, 31)),),
            date(2025, 1, 1),
            91,
            id="leap_day_birth_counts_from_1_march",
        ),
    ],
)
def test_days_looked_after_after_14(
    date_of_birth: date, periods: tuple[CarePeriod, ...], as_of: date, expected: int
) -> None:
    assert days_looked_after_after_14(date_of_birth, periods, as_of) == expected


@pytest.mark.parametrize(
    ("date_of_birth", "periods", "as_of", "expected"),
    [
        pytest.param(DOB, SINCE_AGE_10, date(2024, 3, 9), None, id="under_16_no_status"),
        pytest.param(
            DOB, SINCE_AGE_10, date(2024, 3, 10), LegalStatus.eligible, id="eligible_on_16th"
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2024, 3, 10), None),),
            date(2024, 6, 7),
            None,
            id="looked_after_90_days_not_yet_eligible",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2024, 3, 10), None),),
            date(2024, 6, 8),
            LegalStatus.eligible,
            id="looked_after_91_days_eligible",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2024, 3, 10), date(2024, 6, 8)),),
            date(2025, 1, 1),
            LegalStatus.qualifying,
            id="left_after_90_days_qualifying",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2024, 3, 10), date(2024, 6, 9)),),
            date(2025, 1, 1),
            LegalStatus.relevant,
            id="left_after_91_days_relevant",
        ),
        pytest.param(
            DOB,
            (
                CarePeriod(date(2019, 1, 1), date(2022, 6, 7)),
                CarePeriod(date(2024, 3, 10), date(2024, 3, 11)),
            ),
            date(2025, 1, 1),
            LegalStatus.qualifying,
            id="episode_from_age_10_gives_89_days_plus_1_after_16",
        ),
        pytest.param(
            DOB,
            (
                CarePeriod(date(2019, 1, 1), date(2022, 6, 8)),
                CarePeriod(date(2024, 3, 10), date(2024, 3, 11)),
            ),
            date(2025, 1, 1),
            LegalStatus.relevant,
            id="episode_from_age_10_gives_90_days_plus_1_after_16",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2019, 1, 1), date(2024, 3, 9)),),
            date(2025, 1, 1),
            None,
            id="left_day_before_16th_not_after_16",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2019, 1, 1), date(2024, 3, 10)),),
            date(2025, 1, 1),
            None,
            id="left_on_16th_so_not_looked_after_that_day",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2019, 1, 1), date(2024, 3, 11)),),
            date(2025, 1, 1),
            LegalStatus.relevant,
            id="looked_after_on_16th_left_next_day_relevant",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2025, 1, 1), None),),
            date(2025, 3, 1),
            None,
            id="looked_after_at_16_under_91_days_no_status",
        ),
        pytest.param(
            DOB,
            (
                CarePeriod(date(2022, 3, 10), date(2022, 7, 1)),
                CarePeriod(date(2025, 5, 1), date(2025, 5, 2)),
            ),
            date(2025, 6, 1),
            LegalStatus.relevant,
            id="days_before_16_plus_one_day_back_in_care_at_17",
        ),
        pytest.param(
            DOB,
            SINCE_AGE_10,
            date(2026, 3, 9),
            LegalStatus.eligible,
            id="eligible_day_before_18th",
        ),
        pytest.param(
            DOB,
            SINCE_AGE_10,
            date(2026, 3, 10),
            LegalStatus.former_relevant,
            id="eligible_turning_18_while_looked_after_former_relevant",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2023, 1, 1), date(2025, 1, 1)),),
            date(2025, 6, 1),
            LegalStatus.relevant,
            id="relevant_at_17",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2023, 1, 1), date(2025, 1, 1)),),
            date(2026, 3, 10),
            LegalStatus.former_relevant,
            id="relevant_at_17_former_relevant_at_18",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2024, 3, 10), date(2024, 4, 10)),),
            date(2029, 3, 9),
            LegalStatus.qualifying,
            id="qualifying_at_20",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2024, 3, 10), date(2024, 4, 10)),),
            date(2029, 3, 10),
            None,
            id="qualifying_ends_at_21st",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2026, 1, 1), None),),
            date(2026, 6, 1),
            LegalStatus.qualifying,
            id="period_left_open_past_18_read_as_ended_at_18",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2019, 1, 1), date(2026, 3, 10)),),
            date(2033, 3, 9),
            LegalStatus.former_relevant,
            id="former_relevant_at_24",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2019, 1, 1), date(2026, 3, 10)),),
            date(2033, 3, 10),
            None,
            id="former_relevant_ends_at_25th",
        ),
        pytest.param(
            LEAP_DOB, SINCE_AGE_10, date(2024, 2, 28), None, id="leap_day_birth_day_before_16th"
        ),
        pytest.param(
            LEAP_DOB,
            SINCE_AGE_10,
            date(2024, 2, 29),
            LegalStatus.eligible,
            id="leap_day_birth_16th_in_leap_year",
        ),
        pytest.param(
            LEAP_DOB,
            SINCE_AGE_10,
            date(2026, 2, 28),
            LegalStatus.eligible,
            id="leap_day_birth_still_17_on_28_feb",
        ),
        pytest.param(
            LEAP_DOB,
            SINCE_AGE_10,
            date(2026, 3, 1),
            LegalStatus.former_relevant,
            id="leap_day_birth_18_on_1_march",
        ),
        pytest.param(
            LEAP_DOB_2084,
            (CarePeriod(date(2095, 1, 1), None),),
            date(2100, 2, 28),
            None,
            id="leap_day_birth_still_15_on_28_feb_2100",
        ),
        pytest.param(
            LEAP_DOB_2084,
            (CarePeriod(date(2095, 1, 1), None),),
            date(2100, 3, 1),
            LegalStatus.eligible,
            id="leap_day_birth_16_on_1_march_2100",
        ),
    ],
)
def test_computed_status(
    date_of_birth: date,
    periods: tuple[CarePeriod, ...],
    as_of: date,
    expected: LegalStatus | None,
) -> None:
    assert computed_status(date_of_birth, periods, as_of) is expected


@pytest.mark.parametrize(
    ("date_of_birth", "periods", "eligible_on", "plan_due_on"),
    [
        pytest.param(
            DOB, SINCE_AGE_10, date(2024, 3, 10), date(2024, 6, 10), id="eligible_on_16th"
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2024, 5, 12), None),),
            date(2024, 8, 10),
            date(2024, 11, 10),
            id="91st_day_at_16y5m",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2024, 5, 12), None), CarePeriod(date(2024, 5, 12), None)),
            date(2024, 8, 10),
            date(2024, 11, 10),
            id="duplicate_records_not_counted_twice",
        ),
        pytest.param(
            DOB,
            (
                CarePeriod(date(2022, 3, 10), date(2022, 7, 1)),
                CarePeriod(date(2024, 5, 20), date(2024, 5, 27)),
            ),
            date(2024, 5, 20),
            date(2024, 8, 20),
            id="enough_days_before_16_eligible_on_return_to_care",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2024, 9, 1), None),),
            date(2024, 11, 30),
            date(2025, 2, 28),
            id="due_date_clamped_to_end_of_february",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2019, 1, 1), date(2026, 3, 10)),),
            date(2024, 3, 10),
            date(2024, 6, 10),
            id="former_relevant_was_eligible_at_16",
        ),
        pytest.param(
            LEAP_DOB, SINCE_AGE_10, date(2024, 2, 29), date(2024, 5, 29), id="leap_day_birth"
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2024, 3, 10), date(2024, 4, 10)),),
            None,
            None,
            id="qualifying_only_has_no_plan_duty",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2019, 1, 1), date(2024, 3, 10)),),
            None,
            None,
            id="never_looked_after_after_16",
        ),
        pytest.param(
            DOB,
            (CarePeriod(date(2026, 1, 1), None),),
            None,
            None,
            id="91st_day_would_fall_after_18th",
        ),
        pytest.param(DOB, (), None, None, id="never_looked_after"),
    ],
)
def test_became_eligible_on_and_first_plan_due_on(
    date_of_birth: date,
    periods: tuple[CarePeriod, ...],
    eligible_on: date | None,
    plan_due_on: date | None,
) -> None:
    assert became_eligible_on(date_of_birth, periods) == eligible_on
    assert first_plan_due_on(date_of_birth, periods) == plan_due_on


@pytest.mark.parametrize(
    "periods",
    [
        pytest.param(SINCE_AGE_10, id="since_age_10"),
        pytest.param((CarePeriod(date(2024, 5, 12), None),), id="from_16y2m"),
        pytest.param((CarePeriod(date(2024, 3, 10), date(2024, 6, 9)),), id="exactly_91_days"),
        pytest.param((CarePeriod(date(2024, 3, 10), date(2024, 6, 8)),), id="exactly_90_days"),
        pytest.param(
            (
                CarePeriod(date(2022, 3, 10), date(2022, 5, 1)),
                CarePeriod(date(2023, 12, 1), date(2024, 3, 12)),
            ),
            id="two_episodes_spanning_16th",
        ),
        pytest.param(
            (
                CarePeriod(date(2024, 4, 1), date(2024, 5, 1)),
                CarePeriod(date(2025, 1, 1), date(2025, 2, 1)),
                CarePeriod(date(2025, 6, 1), date(2025, 7, 15)),
            ),
            id="three_short_episodes_after_16",
        ),
    ],
)
def test_became_eligible_on_matches_replaying_every_day(periods: tuple[CarePeriod, ...]) -> None:
    sixteenth, eighteenth = date(2024, 3, 10), date(2026, 3, 10)
    first = next(
        (
            sixteenth + timedelta(days=n)
            for n in range((eighteenth - sixteenth).days)
            if computed_status(DOB, periods, sixteenth + timedelta(days=n))
            in {LegalStatus.eligible, LegalStatus.relevant}
        ),
        None,
    )
    assert became_eligible_on(DOB, periods) == first
