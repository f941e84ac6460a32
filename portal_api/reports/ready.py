"""The council-wide figures made ready before a manager asks for them.

The figures a manager's console opens on (today's overview and the trends' twelve month-ends) are
kept between writes and brought up to date by recomputing only the young people a write touched
(``reports/measures/standing.py``). What is left is the first time: computing a date afresh fetches
and judges everyone, 2 s a date at 50,000 young people, so the first trends of the hour took 25 s
(bench/README.md, "Figures made ready"). Here each API worker does that work in the background
instead, every ``Settings.figures_ready_seconds``: at start-up it makes every council's dates, and
on each pass after it brings them up to date from the data version's log (nothing to do when
nothing was written) and makes afresh those that would expire before the next pass. A manager's
request then finds them ready, and only sums the kept tallies.

The figures are made as one of the council's council-wide managers sees them: every such manager
sees the same young people (``people.scope``), which is why one kept set serves them all. A
council with no council-wide manager has no one to show them to and is skipped. Nothing here
reads a young person's record for anyone: no audit event is written, as for a figure.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.common.actor import Actor
from portal_api.content.library import Library
from portal_api.db.changes import FiguresVersion
from portal_api.db.session import session_scope
from portal_api.models import Role, User
from portal_api.reports import measures
from portal_api.reports.cache import Cached, FiguresCache

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Ready:
    """What one pass did: councils seen, dates made ready, and how long it took."""

    councils: int
    dates: int
    seconds: float


async def _council_wide_managers(session: AsyncSession) -> list[User]:
    """One active council-wide manager per organisation, the longest-standing."""
    managers = (
        await session.execute(
            select(User)
            .where(User.role == Role.manager, User.council_wide.is_(True), User.is_active)
            .order_by(User.org_id, User.created_at, User.id)
        )
    ).scalars()
    first: dict[object, User] = {}
    for manager in managers:
        first.setdefault(manager.org_id, manager)
    return list(first.values())


async def make_ready(
    maker: async_sessionmaker[AsyncSession],
    library: Library,
    cache: FiguresCache,
    version: FiguresVersion,
    *,
    renew_within: float = 0,
) -> Ready:
    """One pass over every council. ``renew_within``: dates that would expire within that many
    seconds are made afresh now (the next pass would be too late)."""
    started = time.perf_counter()
    async with session_scope(maker) as session:
        managers = await _council_wide_managers(session)
    dates = 0
    for manager in managers:
        # A transaction per council: its reports settings (SET LOCAL) and snapshot are its own,
        # and the version is read before its data, as for a request (reports/cache.py).
        async with session_scope(maker) as session:
            cached = await Cached.begin(cache, version)
            if cached is None:
                break
            ready = await measures.make_ready(
                session, Actor(manager, ip=None), library, cached, renew_within=renew_within
            )
            dates += len(ready)
    return Ready(len(managers), dates, time.perf_counter() - started)


async def keep_ready(
    maker: async_sessionmaker[AsyncSession],
    library: Library,
    cache: FiguresCache,
    version: FiguresVersion,
    *,
    every: float,
    stopping: asyncio.Event,
) -> None:
    """``make_ready`` every ``every`` seconds until ``stopping`` is set; a failed pass (the
    database away, say) is logged and tried again next time."""
    while not stopping.is_set():
        try:
            # Twice the interval: a date due to expire before the next pass is made afresh now.
            done = await make_ready(maker, library, cache, version, renew_within=2 * every)
            if done.seconds > 1:
                logger.info(
                    "figures made ready: %d dates of %d councils in %.1f s",
                    done.dates,
                    done.councils,
                    done.seconds,
                )
        except Exception:
            logger.exception("making the figures ready failed; trying again")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), every)
