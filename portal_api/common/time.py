"""Dates as councils count them: today in England, whatever the server's clock zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def today() -> date:
    return datetime.now(LONDON).date()
