"""What a young person's own read says about being kept: whose it is, and until when it holds.

The answer to a young person's own read (home, local offer, documents, plan) can be kept and
served again, without running the route, until the next write to what it shows
(``portal_api/kept_reads.py``). Two things must come from the request itself, through its ASGI
state, because only the route and the token check know them:

- who read (``KeptReader``): set by the token check (``auth/signed_in.py``) for a young person's
  session, with the moment it must be checked again (its idle-time touch, its lifetime);
- until when the answer holds with nothing written (``keep_until``): set by a route that may be
  kept, from what in its answer moves with the clock alone. A route that does not call it is
  never kept.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from starlette.requests import Request

from portal_api.common.time import LONDON

READER_STATE = "portal_kept_reader"
UNTIL_STATE = "portal_kept_until"


@dataclass(frozen=True, slots=True)
class KeptReader:
    """A young person's session, as a kept answer needs it: whose versions it depends on, when
    the session must be read from the database again, and whether it is a shared phone's."""

    user_id: uuid.UUID
    young_person_id: uuid.UUID
    recheck_at: datetime
    shared_device: bool


def read_by(request: Request, reader: KeptReader) -> None:
    request.scope.setdefault("state", {})[READER_STATE] = reader


def keep_until(request: Request, until: datetime) -> None:
    """This answer may be kept until ``until`` (or the next write to what it shows)."""
    request.scope.setdefault("state", {})[UNTIL_STATE] = until


def next_midnight(now: datetime) -> datetime:
    """The next midnight in London: when an answer that depends on today's date may change."""
    local = now.astimezone(LONDON)
    tomorrow = (local + timedelta(days=1)).date()
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=LONDON)


def next_minute(now: datetime) -> datetime:
    """The next whole minute: office hours and the like change only on one."""
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1)
