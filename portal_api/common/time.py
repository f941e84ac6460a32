"""Dates as councils count them: today in England, whatever the server's clock zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def today() -> date:
    return datetime.now(LONDON).date()


def london_date(moment: datetime) -> date:
    """The date in England of a stored (UTC) timestamp: 00:30 BST is still 'today' there."""
    return moment.astimezone(LONDON).date()
