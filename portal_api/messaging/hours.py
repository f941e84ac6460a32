"""Office hours and working days as a council counts them: Monday to Friday, in London time,
except England and Wales bank holidays (from the maintained ``holidays`` package). The hours are
the council's own (``organisation.office_opens``/``office_closes``): every function takes them,
so no rule can quietly fall back to a fixed 09:00 to 17:00."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from portal_api.common.time import LONDON


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    # England and Wales share their bank holidays; Scotland and Northern Ireland differ.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


@lru_cache(maxsize=64)
def _clock(text: str) -> time:
    # Asked for twice a working day counted, for every message in a report's 28 days.
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def in_office_hours(moment: datetime, opens: str, closes: str) -> bool:
    local = moment.astimezone(LONDON)
    return is_working_day(local.date()) and _clock(opens) <= local.time() < _clock(closes)


def next_opening(moment: datetime, opens: str, closes: str) -> datetime:
    """When the office next opens (``moment`` itself if it is open now)."""
    local = moment.astimezone(LONDON)
    if in_office_hours(local, opens, closes):
        return local
    day = local.date()
    if local.time() >= _clock(opens) or not is_working_day(day):
        day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, _clock(opens), tzinfo=LONDON)


def working_hours_between(start: datetime, end: datetime, opens: str, closes: str) -> float:
    """Office hours that passed between two moments (for "replied within one working day")."""
    if end <= start:
        return 0.0
    total = 0.0
    day = start.astimezone(LONDON).date()
    last = end.astimezone(LONDON).date()
    while day <= last:
        if is_working_day(day):
            open_at = datetime.combine(day, _clock(opens), tzinfo=LONDON)
            close_at = datetime.combine(day, _clock(closes), tzinfo=LONDON)
            a, b = max(open_at, start), min(close_at, end)
            if b > a:
                total += (b - a).total_seconds() / 3600
        day += timedelta(days=1)
    return total


def working_day_hours(opens: str, closes: str) -> float:
    o, c = _clock(opens), _clock(closes)
    return (c.hour * 60 + c.minute - o.hour * 60 - o.minute) / 60


def after_working_hours(start: datetime, hours: float, opens: str, closes: str) -> datetime:
    """The moment ``hours`` office hours after ``start`` have passed: one working day after a
    message sent on Friday at 18:00 is Monday at 17:00; after Monday at 10:00, Tuesday at 10:00."""
    remaining = hours
    moment = next_opening(start, opens, closes)
    while True:
        close_at = datetime.combine(moment.date(), _clock(closes), tzinfo=LONDON)
        left_today = (close_at - moment).total_seconds() / 3600
        if remaining <= left_today:
            return moment + timedelta(hours=remaining)
        remaining -= left_today
        moment = next_opening(close_at, opens, closes)
