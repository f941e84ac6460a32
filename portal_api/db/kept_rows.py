"""Rows a young person's every request reads, kept by each API worker between writes.

Each request of a young person's reads the same few rows before doing anything: their sign-in
session (the token check), their own record (``{yp}``), and for a message their council and who
answers it (the organisation, their PA, the PA's absence and its cover). Read afresh they were
most of a message send's CPU: two thirds of a millisecond for the first two alone, measured by
leaving them out (bench/README.md, "Kept rows"). Here each worker keeps what it read and reads
it again only when a write may have changed it, by the kept reads' versions
(``db/reads_version.py``), which every committed write moves before its writer is answered:

- the sign-in session: ``all``, the young person's ``record:<id>`` (their ``young_person`` row
  or their account's ``user`` row changed; their messages and the rest of their rows move
  ``yp:<id>`` only) and their account's ``user:<id>`` (a session that ends, by sign-out, "sign
  out everywhere", a password change or a disabled account, moves it); and never past the time
  the session is next due its idle-time touch or ends (``SignedIn.recheck_at``), so those are
  written and checked as before;
- their own record: ``all`` and ``record:<id>``;
- who answers them: ``all`` (a PA's account, absence or cover, a team, the council's settings).

And never for more than a minute (``HOLD_SECONDS``): a bump Redis failed to take leaves a version
unmoved, and what it missed is then read within the minute, as a session's touch is.

The versions are read once a request, at the token check, *before* any row is read; a row read
after them is kept under them, so a write committed meanwhile costs a miss, never a stale row.
Kept as the column values read, never as the object a session holds: each request gets its own
object, attached to its own session as if it had been loaded there, so a change a request makes
to it (committed or rolled back) reaches no other request. A row is only kept from, and only
served to, a session that has written nothing yet: what it reads is what is committed, and a
request reads its own writes back.

Only a young person's requests (as ``kept_reads.py``): staff sessions, scopes and audit events
are read as before. On with the kept reads (``PORTAL_KEPT_READS``; unset, on with Redis).
"""

from __future__ import annotations

import copy
import time
import uuid
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapper, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_dict

from portal_api.db import reads_version

KEPT = "kept_rows"  # session.info (from the sessionmaker): this worker's KeptRows
SEEN = "kept_rows_seen"  # session.info: the versions this request read, by key

# Rows a worker keeps at most: past that the least recently used go (2-3 KB each, so at most
# about 30 MB; a young person at their phone has a session and a record kept).
MOST_KEPT = 10_000
# And for at most this long, whatever the versions say: a bump Redis failed to take (logged)
# leaves a version unmoved, and a row must not then be kept for ever. A session is kept no
# longer than its idle-time touch, which is due within a minute as well.
HOLD_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One row as read: its class and its columns' values."""

    model: type
    values: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Entry:
    versions: tuple[str, ...] | None  # None: only the keys are known yet (a first read)
    keys: tuple[str, ...]
    value: Any
    until: float  # time.monotonic()


class KeptRows:
    """One worker's kept rows, under the versions they were read at (``get`` checks them)."""

    def __init__(self, most: int = MOST_KEPT) -> None:
        self._most = most
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()

    def keys_of(self, name: Hashable) -> tuple[str, ...] | None:
        """The versions a kept entry depends on, kept or not (None: never read here)."""
        entry = self._entries.get(name)
        return entry.keys if entry is not None else None

    def get(self, name: Hashable, seen: dict[str, str]) -> Any | None:
        entry = self._entries.get(name)
        if entry is None or entry.versions is None or time.monotonic() >= entry.until:
            return None
        if any(
            seen.get(key) != version
            for key, version in zip(entry.keys, entry.versions, strict=True)
        ):
            return None
        self._entries.move_to_end(name)
        return entry.value

    def put(
        self, name: Hashable, keys: Sequence[str], seen: dict[str, str] | None, value: Any
    ) -> None:
        """Keep ``value`` under the versions ``seen`` before it was read; without them, only
        remember the keys, so the next request reads them first."""
        versions = None
        if seen is not None and all(key in seen for key in keys):
            versions = tuple(seen[key] for key in keys)
        kept = value if versions is not None else None
        self._entries[name] = _Entry(versions, tuple(keys), kept, time.monotonic() + HOLD_SECONDS)
        self._entries.move_to_end(name)
        while len(self._entries) > self._most:
            self._entries.popitem(last=False)


def kept_rows(session: AsyncSession) -> KeptRows | None:
    kept: KeptRows | None = session.info.get(KEPT)
    return kept


async def read_versions(session: AsyncSession, keys: Sequence[str]) -> dict[str, str] | None:
    """The versions now, remembered for the rest of the request (None: they cannot be known,
    so nothing is served from what was kept, and nothing is kept)."""
    store: reads_version.ReadsVersion | None = session.info.get(reads_version.STORE)
    if store is None:
        return None
    versions = await store.current(keys)
    if versions is None:
        return None
    seen = dict(zip(keys, versions, strict=True))
    session.info[SEEN] = seen
    return seen


def seen(session: AsyncSession) -> dict[str, str] | None:
    """The versions this request read before any row, if it read them."""
    found: dict[str, str] | None = session.info.get(SEEN)
    return found


def keepable(session: AsyncSession) -> bool:
    """Nothing written yet, so what this session reads is what is committed."""
    sync = session.sync_session
    return not (sync.info.get(reads_version.CHANGED) or sync.new or sync.dirty or sync.deleted)


def snapshot(obj: Any) -> Snapshot | None:
    """The row's column values as read, or None when one is not loaded (kept, it would have to be
    loaded later, which an async session cannot do on attribute access)."""
    if obj is None:
        return None
    state = inspect(obj)
    values = {}
    for column in state.mapper.column_attrs:
        if column.key not in state.dict:
            return None
        values[column.key] = _own(state.dict[column.key])
    return Snapshot(type(obj), values)


def _own(value: Any) -> Any:
    """A JSON column's list or dict copied (a notice preference): changed in place by one
    request, it must not change what is kept, nor what another request is given."""
    return copy.deepcopy(value) if isinstance(value, list | dict) else value


def revive(session: AsyncSession, kept: Snapshot | None) -> Any:
    """The kept row as this session's own object, as if it had just been loaded here (the
    object the session already holds for that row, if it does)."""
    if kept is None:
        return None
    mapper: Mapper[Any] = inspect(kept.model)
    identity = mapper.identity_key_from_primary_key(
        tuple(kept.values[mapper.get_property_by_column(c).key] for c in mapper.primary_key)
    )
    held = session.sync_session.identity_map.get(identity)
    if held is not None:
        return held
    obj = mapper.class_manager.new_instance()
    # As a query's loader fills a row's object: the values as loaded, with no history.
    instance_dict(obj).update({key: _own(value) for key, value in kept.values.items()})
    make_transient_to_detached(obj)
    session.sync_session.add(obj)
    return obj


def session_name(token_hash: str) -> tuple[str, str]:
    return ("session", token_hash)


def own_record_name(young_person_id: uuid.UUID) -> tuple[str, uuid.UUID]:
    return ("own record", young_person_id)


def who_answers_name(
    org_id: uuid.UUID, personal_adviser_id: uuid.UUID | None
) -> tuple[str, uuid.UUID, uuid.UUID | None]:
    return ("who answers", org_id, personal_adviser_id)
