"""A young person's legal status on many dates, fast: the same reading as
``people.legal_status.computed_status`` (DOMAIN.md §1), prepared once per young person.

The figures ask for the status of every young person in scope on one date (and, for trends, on
twelve), and ``computed_status`` merges the care periods again on every call. Everything it looks
at reduces to a few dates: the 16th, 18th, 21st and 25th birthdays, the first day looked after on
or after the 16th birthday, and the day the 13 weeks after the 14th birthday were reached. A test
(tests/reports/test_status_timeline.py) checks this against ``computed_status`` and
``first_plan_due_on`` over thousands of random histories and dates, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from portal_api.models import LegalStatus
from portal_api.people import legal_status
from portal_api.people.facts import parse_care_periods

PLAN_DUTY = frozenset({LegalStatus.eligible, LegalStatus.relevant, LegalStatus.former_relevant})


@dataclass(slots=True)
class StatusTimeline:
    override: LegalStatus | None
    sixteenth: date
    eighteenth: date
    twenty_first: date
    twenty_fifth: date
    # First day looked after on or after the 16th birthday (and before the 18th), if any.
    first_looked_after_from_16: date | None
    # The day the 91st day looked after from the 14th birthday (before the 18th) was counted.
    day_91: date | None
    # The first day eligible (looked after, 16 or over, 13 weeks counted), if ever.
    became_eligible_on: date | None
    periods: tuple[legal_status.CarePeriod, ...]
    # ``legal_status.first_plan_due_on`` for these periods (None if never eligible).
    computed_first_plan_due_on: date | None
    # When the first plan was due. For someone whose status is a PA's override and whose care
    # history does not show when they became eligible, 3 months after the 16th birthday. Worked
    # out here, once per remembered timeline, not by two rules for every young person per figure.
    first_plan_due_on: date

    @classmethod
    def of(
        cls,
        date_of_birth: date,
        periods: Sequence[legal_status.CarePeriod],
        override: LegalStatus | None = None,
    ) -> StatusTimeline:
        fourteenth = legal_status.add_years(date_of_birth, 14)
        sixteenth = legal_status.add_years(date_of_birth, 16)
        eighteenth = legal_status.add_years(date_of_birth, 18)
        runs = legal_status.merged_within(periods, fourteenth, eighteenth)
        counted = 0
        day_91: date | None = None
        for start, end in runs:
            length = (end - start).days
            if counted + length >= legal_status.THIRTEEN_WEEKS_IN_DAYS:
                day_91 = start + timedelta(days=legal_status.THIRTEEN_WEEKS_IN_DAYS - counted - 1)
                break
            counted += length
        first_from_16 = _first_covered_on_or_after(runs, sixteenth)
        became = (
            _first_covered_on_or_after(runs, max(day_91, sixteenth)) if day_91 is not None else None
        )
        computed_due = (
            legal_status.add_months(max(sixteenth, became), legal_status.FIRST_PLAN_MONTHS)
            if became is not None
            else None
        )
        return cls(
            override=override,
            sixteenth=sixteenth,
            eighteenth=eighteenth,
            twenty_first=legal_status.add_years(date_of_birth, 21),
            twenty_fifth=legal_status.add_years(date_of_birth, 25),
            first_looked_after_from_16=first_from_16,
            day_91=day_91,
            became_eligible_on=became,
            periods=tuple(periods),
            computed_first_plan_due_on=computed_due,
            first_plan_due_on=computed_due
            or legal_status.add_months(sixteenth, legal_status.FIRST_PLAN_MONTHS),
        )

    def looked_after_on(self, on: date) -> bool:
        return legal_status.is_looked_after_on(self.periods, on)

    def computed_status_on(self, on: date) -> LegalStatus | None:
        """``legal_status.computed_status`` for these periods on ``on``."""
        if on < self.sixteenth:
            return None
        if self.first_looked_after_from_16 is None or self.first_looked_after_from_16 > on:
            return None
        enough = self.day_91 is not None and self.day_91 <= on
        if on < self.eighteenth:
            if self.looked_after_on(on):
                return LegalStatus.eligible if enough else None
            return LegalStatus.relevant if enough else LegalStatus.qualifying
        if enough:
            return LegalStatus.former_relevant if on < self.twenty_fifth else None
        return LegalStatus.qualifying if on < self.twenty_first else None

    def status_on(self, on: date) -> LegalStatus | None:
        """The status a PA works to (``people.status.status_of``): the recorded override, which
        has no dates of its own and so holds on every date, else the computed status."""
        return self.override if self.override is not None else self.computed_status_on(on)


_MEMO: dict[tuple[date, str | None, LegalStatus | None], StatusTimeline] = {}
MEMO_LIMIT = 250_000


def timeline_of(
    date_of_birth: date, periods_text: str | None, override: LegalStatus | None
) -> StatusTimeline:
    """``StatusTimeline.of`` from the periods as the database aggregates them, remembered: the
    result depends only on these three values, so a young person whose record has not changed
    since the last figures costs a dictionary lookup (about 60 bytes of key and 300 of timeline
    each; the memo starts again past MEMO_LIMIT entries)."""
    key = (date_of_birth, periods_text, override)
    found = _MEMO.get(key)
    if found is None:
        if len(_MEMO) >= MEMO_LIMIT:
            _MEMO.clear()
        found = StatusTimeline.of(date_of_birth, parse_care_periods(periods_text), override)
        _MEMO[key] = found
    return found


def _first_covered_on_or_after(runs: list[tuple[date, date]], earliest: date) -> date | None:
    for start, end in runs:
        if end > earliest:
            return max(start, earliest)
    return None
