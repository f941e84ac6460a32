"""The manager's figures, cached per date and invalidated by writes (docs/measures.md, "Cache").

A figure is computed from the data as it stood when it was asked for, so it can be reused until
the data changes. Each entry is keyed by what decides it: the organisation and its
``figures_generation`` (raised by imports), the data version (bumped by every committed write, in
Redis across workers: ``db/changes.py``), who asked (what they may see), the team and adviser
asked about, the date, and what was asked (the overview, or one measure's names).

The race that matters: a reader must never store a result, computed from data older than a
write, under the version that write bumped to. So the version is read **before** any of the
figure's data is (``Cached.token`` is taken first, the queries run after): a write's bump comes
after its commit, so a reader that saw the new token reads data that includes the write, and a
reader that saw the old token stores its result under the old token, which no later reader asks
for. PostgreSQL runs the reports at READ COMMITTED, so each query sees every commit made before
it started.

In process, bounded: at most ``MAX_ENTRIES`` entries and ``MAX_ROWS`` drill-down rows (about
1 kB each), oldest used first out; an entry is dropped after ``ENTRY_SECONDS`` whatever happens,
which bounds the damage of a bump Redis could not take.

Beside the entries, the cache holds the council's **kept figures** (``reports/measures/
standing.py``): every young person's outcomes on a date, brought up to date on a miss by
recomputing only the young people the writes since touched. At most ``KEPT_DATES`` dates (today
and the trends' month-ends) per organisation, made afresh after ``KEPT_SECONDS``, and updated one
at a time per organisation (``kept_lock``): one council's first figures of the hour do not hold up
another's, nor evict them. ``reports/ready.py`` keeps them made and up to date in the background,
so that a manager seldom pays for either.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from portal_api.common.actor import Actor
from portal_api.db.changes import FiguresVersion
from portal_api.models import Organisation

MAX_ENTRIES = 512
MAX_ROWS = 200_000
ENTRY_SECONDS = 15 * 60
KEPT_DATES = 13
# Kept figures are brought up to date from the data version's log, which misses nothing written
# through the API (a bump Redis could not take makes that worker's next bump "everyone"); this
# bounds what could still slip past it (such a worker never writing again).
KEPT_SECONDS = 60 * 60


@dataclass(frozen=True, slots=True)
class Token:
    """The data version as read before the figure's data: None means "do not cache"."""

    version: str | None


@dataclass(slots=True)
class _Entry:
    value: Any
    rows: int
    stored_at: float


class FiguresCache:
    def __init__(self, clock: Any = time.monotonic) -> None:
        self._entries: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()
        self._rows = 0
        self._clock = clock
        self._kept: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()
        self._kept_orgs: dict[tuple[Any, ...], uuid.UUID] = {}
        self._kept_locks: dict[uuid.UUID, asyncio.Lock] = {}

    def clear(self) -> None:
        self._entries.clear()
        self._rows = 0
        self._kept.clear()
        self._kept_orgs.clear()

    def kept(self, key: tuple[Any, ...], *, renew_within: float = 0) -> Any:
        """The kept figures for ``key`` (standing.py), or None. ``renew_within``: None also when
        they expire within that many seconds (reports/ready.py makes them afresh before a
        manager's request would have to)."""
        entry = self._kept.get(key)
        if entry is None:
            return None
        age = self._clock() - entry.stored_at
        if age > KEPT_SECONDS:
            self.forget(key)
            return None
        if age > KEPT_SECONDS - renew_within:
            return None
        self._kept.move_to_end(key)
        return entry.value

    def kept_lock(self, org_id: uuid.UUID) -> asyncio.Lock:
        """Held while an organisation's kept figures are looked up and brought up to date."""
        return self._kept_locks.setdefault(org_id, asyncio.Lock())

    def forget(self, key: tuple[Any, ...]) -> None:
        self._kept.pop(key, None)
        self._kept_orgs.pop(key, None)

    def keep(self, org_id: uuid.UUID, key: tuple[Any, ...], value: Any) -> None:
        """Kept figures made afresh for ``org_id``: they expire ``KEPT_SECONDS`` from now. The
        organisation's least recently used beyond ``KEPT_DATES`` go."""
        self._kept.pop(key, None)
        self._kept[key] = _Entry(value, 0, self._clock())
        self._kept_orgs[key] = org_id
        theirs = [k for k in self._kept if self._kept_orgs[k] == org_id]  # oldest used first
        for old in theirs[:-KEPT_DATES]:
            self.forget(old)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple[Any, ...] | None) -> Any:
        if key is None:
            return None
        entry = self._entries.get(key)
        if entry is None:
            return None
        if self._clock() - entry.stored_at > ENTRY_SECONDS:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry.value

    def put(self, key: tuple[Any, ...] | None, value: Any, rows: int = 0) -> None:
        if key is None or rows > MAX_ROWS:
            return
        if key in self._entries:
            self._drop(key)
        self._entries[key] = _Entry(value, rows, self._clock())
        self._rows += rows
        while len(self._entries) > MAX_ENTRIES or self._rows > MAX_ROWS:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: tuple[Any, ...]) -> None:
        entry = self._entries.pop(key)
        self._rows -= entry.rows


@dataclass(frozen=True, slots=True)
class Cached:
    """What a figure request needs to use the cache: the cache, and the version read first."""

    cache: FiguresCache
    token: Token
    version: FiguresVersion

    @staticmethod
    async def begin(cache: FiguresCache | None, version: FiguresVersion | None) -> Cached | None:
        """Call before the request reads any figure data (see the module's docstring)."""
        if cache is None or version is None:
            return None
        return Cached(cache, Token(await version.current()), version)

    def key(
        self,
        org: Organisation,
        actor: Actor,
        team_id: uuid.UUID | None,
        adviser_id: uuid.UUID | None,
        on: date,
        *what: Any,
    ) -> tuple[Any, ...] | None:
        if self.token.version is None:
            return None
        # The actor's id stands for what they may see: their role and teams are theirs alone,
        # and a change to either is a write that bumps the version.
        return (
            org.id,
            org.figures_generation,
            self.token.version,
            actor.user.id,
            team_id,
            adviser_id,
            on,
            *what,
        )
