"""A young person's legal status as a care leaver, computed from date of birth and care periods.

Pure functions over dates (the stdlib and the ``LegalStatus`` enum of ``models`` only), so the API,
the import and the oversight figures all replay the same reading as of any date. The reading is
DOMAIN.md section 1; a PA may override the result with a recorded reason, because what the dates
cannot show (a relevant child living with a parent for 6 months, detention or hospital on turning
16, special guardianship) is theirs to record.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from portal_api.models import LegalStatus

# Thirteen weeks (CPPCR 2010 reg 40, the "prescribed period" in Children Act 1989 Sch 2 para 19B).
THIRTEEN_WEEKS_IN_DAYS = 91
# First pathway plan: 3 months after the 16th birthday or after becoming eligible, if later
# (CPPCR 2010 reg 42; Care Leavers (England) Regulations 2010 reg 5).
FIRST_PLAN_MONTHS = 3

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class CarePeriod:
    """Looked after from ``start`` up to, not including, ``end`` (the day they left).

    ``end`` is None while they are still looked after. A period that starts and ends on the same
    day covers no whole day and counts for nothing.
    """

    start: date
    end: date | None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            msg = f"care period ends ({self.end}) before it starts ({self.start})"
            raise ValueError(msg)


def add_years(d: date, years: int) -> date:
    """The anniversary of ``d`` ``years`` years later (or earlier, if negative).

    A person attains an age at the start of the anniversary of their birth (Family Law Reform Act
    1969 s9). A 29 February has no anniversary in a common year; this reads it as 1 March, the usual
    English reading and the rule Scotland wrote down (Age of Legal Capacity (Scotland) Act 1991 s6).
    English statute does not settle the point (check), so every age here goes through this one
    function and the reading can change in one place.
    """
    year = d.year + years
    if d.month == 2 and d.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return d.replace(year=year)


def add_months(d: date, months: int) -> date:
    """The same day ``months`` calendar months later (or earlier, if negative).

    This is the corresponding date rule for deadlines (Dodds v Walker [1981] 1 WLR 1027): when the
    target month is too short, the last day of that month (31 August + 6 months is the end of
    February; 1 March - 6 months is 1 September). Ages use ``add_years`` instead, so 29 February
    + 12 months (28 February) differs from a first birthday (1 March) on purpose.
    """
    month_index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last_day))


def age_on(date_of_birth: date, on: date) -> int:
    """Age in whole years on ``on``, using the same birthdays as ``add_years``."""
    if on < date_of_birth:
        msg = f"{on} is before the date of birth {date_of_birth}"
        raise ValueError(msg)
    years = on.year - date_of_birth.year
    if add_years(date_of_birth, years) > on:
        years -= 1
    return years


def is_looked_after_on(periods: Iterable[CarePeriod], on: date) -> bool:
    """Whether any care period covers ``on`` (start inclusive, end exclusive)."""
    return any(p.start <= on and (p.end is None or on < p.end) for p in periods)


def merged_within(
    periods: Iterable[CarePeriod], first: date, stop: date
) -> list[tuple[date, date]]:
    """Care periods clipped to ``[first, stop)`` and merged into sorted, disjoint ``[start, end)``
    runs, so overlapping records (two councils, a re-import) never count a day twice."""
    clipped = sorted(
        (max(p.start, first), stop if p.end is None else min(p.end, stop)) for p in periods
    )
    merged: list[tuple[date, date]] = []
    for start, end in clipped:
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _window_stop(date_of_birth: date, as_of: date) -> date:
    """The exclusive end of the days that count as of ``as_of``: the day after ``as_of``, but never
    past the 18th birthday, because nobody is looked after (a child) from 18 (Children Act s105)."""
    return min(as_of + _ONE_DAY, add_years(date_of_birth, 18))


def days_looked_after_after_14(
    date_of_birth: date, periods: Iterable[CarePeriod], as_of: date
) -> int:
    """Days looked after that count towards the 13 weeks of CPPCR reg 40.

    Counts each day d with 14th birthday <= d <= min(as_of, day before the 18th birthday) on which a
    care period covers d (start <= d < end). Both the 14th birthday and ``as_of`` are included; an
    episode that began before the 14th birthday counts from the 14th birthday; overlapping periods
    count each day once.
    """
    fourteenth = add_years(date_of_birth, 14)
    stop = _window_stop(date_of_birth, as_of)
    if stop <= fourteenth:
        return 0
    return sum((end - start).days for start, end in merged_within(periods, fourteenth, stop))


def _looked_after_after_16(date_of_birth: date, periods: Iterable[CarePeriod], as_of: date) -> bool:
    """Looked after on some day from the 16th birthday to ``as_of`` (and before 18): the reading
    of "ended after he reached the age of 16" (Sch 2 para 19B) and "after reaching 16" (s24)."""
    sixteenth = add_years(date_of_birth, 16)
    stop = _window_stop(date_of_birth, as_of)
    return stop > sixteenth and bool(merged_within(periods, sixteenth, stop))


def computed_status(
    date_of_birth: date, periods: Iterable[CarePeriod], as_of: date
) -> LegalStatus | None:
    """The legal status as of ``as_of`` by the reading in DOMAIN.md section 1.

    - eligible: 16-17, looked after on ``as_of``, 91+ days after 14 (CPPCR reg 40);
    - relevant: 16-17, not looked after on ``as_of``, looked after after 16, 91+ days (s23A);
    - former relevant: 18 up to the 25th birthday, looked after after 16 and 91+ days counted to the
      18th birthday (s23C; PA support to 25 under CSWA 2017);
    - qualifying: 16 up to the 21st birthday, looked after after 16 but under 91 days, not looked
      after on ``as_of`` (s24);
    - otherwise None: under 16, looked after but not yet 91 days, never looked after after 16.

    Care is read only before the 18th birthday: a period left open past 18 in imported records is
    treated as ended at 18, so an adult is never "still looked after".
    """
    periods = tuple(periods)
    if as_of < add_years(date_of_birth, 16):
        return None
    if not _looked_after_after_16(date_of_birth, periods, as_of):
        return None
    enough = days_looked_after_after_14(date_of_birth, periods, as_of) >= THIRTEEN_WEEKS_IN_DAYS
    if as_of < add_years(date_of_birth, 18):
        if is_looked_after_on(periods, as_of):
            return LegalStatus.eligible if enough else None
        return LegalStatus.relevant if enough else LegalStatus.qualifying
    if enough:
        return LegalStatus.former_relevant if as_of < add_years(date_of_birth, 25) else None
    return LegalStatus.qualifying if as_of < add_years(date_of_birth, 21) else None


def became_eligible_on(date_of_birth: date, periods: Iterable[CarePeriod]) -> date | None:
    """The first day ``computed_status`` is eligible or relevant, or None if there is none.

    That day is always an eligible day (relevance follows eligibility): the first day looked after
    that is on or after both the 16th birthday and the 91st day looked after from the 14th birthday,
    and before the 18th birthday. Found from the merged periods, not by replaying every day.
    """
    sixteenth = add_years(date_of_birth, 16)
    runs = merged_within(periods, add_years(date_of_birth, 14), add_years(date_of_birth, 18))
    counted = 0
    day_91: date | None = None
    for start, end in runs:
        length = (end - start).days
        if counted + length >= THIRTEEN_WEEKS_IN_DAYS:
            day_91 = start + timedelta(days=THIRTEEN_WEEKS_IN_DAYS - counted - 1)
            break
        counted += length
    if day_91 is None:
        return None
    earliest = max(day_91, sixteenth)
    for start, end in runs:
        if end > earliest:
            return max(start, earliest)
    return None


def first_plan_due_on(date_of_birth: date, periods: Iterable[CarePeriod]) -> date | None:
    """When the first pathway plan is due: 3 calendar months after the later of the 16th birthday
    and the day they became eligible (CPPCR reg 42; Care Leavers Regs reg 5).

    None for anyone never eligible or relevant: a qualifying young person gets advice and
    assistance but no pathway plan duty. A former relevant young person was eligible before 18, so
    their due date comes from that earlier day.
    """
    eligible_on = became_eligible_on(date_of_birth, periods)
    if eligible_on is None:
        return None
    return add_months(max(add_years(date_of_birth, 16), eligible_on), FIRST_PLAN_MONTHS)
