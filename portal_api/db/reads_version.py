"""The kept reads' versions: what tells a young person's kept answer that the data under it changed.

A young person's own reads (home, local offer, documents, plan) are kept between writes and
served again without running the route (``portal_api/kept_reads.py``). A kept answer carries the
versions it was made under, and is served only while they all stand. Three kinds of version:

- ``yp:<id>``: every committed write to a row of that young person's (``young_person_id``, or
  their own ``young_person`` row);
- ``record:<id>``: a write to that young person's ``young_person`` row or their account's
  ``user`` row (these also move ``yp:<id>``, and the account's ``user:<id>``): what their kept
  session and own record depend on (``kept_rows.py``), which their messages do not move;
- ``user:<id>``: a sign-in session of that account ended (signed out, revoked everywhere,
  timed out and swept), so a kept answer is never served on a token the database no longer has;
- ``all``: every other committed write (a member of staff, a team, the council's settings, a
  PA's availability, a bulk UPDATE that does not say whose rows). A plan's section, action or
  response carries its version, not its young person: it moves the young person's own when the
  session holds that version (as a PA's change to a draft does), else ``all``.
  When in doubt a write counts as ``all``: that costs a miss, never a stale answer.

Not counted: audit events, the notification outbox and push subscriptions, which no kept read
shows (the four routes read none of those tables); a new session (nothing was kept on it yet);
and a session's idle-time touch (it changes no answer).

Bumped after the commit and before the writer's response is sent (``session_scope``, in the
figures' round trip when both are in Redis), so the phone's next read after its own 201 is never
an answer kept from before: read-your-writes.
In Redis when ``PORTAL_REDIS_URL`` is set, so every worker sees every worker's writes; in process
otherwise. A version is a random token in Redis (never reused, even if Redis loses its keys) and a
counter in process. A write made outside the API (``portal import`` and the other CLI commands)
bumps ``all`` once it has committed (``cli._in_transaction``).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import secrets
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import redis.asyncio as redis
from redis.exceptions import RedisError
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm import UOWTransaction as _Flush
from sqlalchemy.orm.util import identity_key

from portal_api.db.changes import inserted_rows
from portal_api.models import (
    AccessToken,
    PlanAction,
    PlanResponse,
    PlanSection,
    PlanVersion,
    User,
    YoungPerson,
)

logger = logging.getLogger(__name__)

ALL = "all"
CHANGED = "reads_changed"  # session.info: the versions this transaction's writes move
STORE = "reads_version"  # session.info (from the sessionmaker): where to bump them
# session.info: set by ``session_scope``, which bumps the versions itself once the commit is
# done, in the figures' round trip (``db/session.py``); they wait in PENDING until then.
DEFERRED = "reads_deferred"
PENDING = "reads_pending"
# A Core INSERT, UPDATE or DELETE names the versions it moves here, or it counts as ``all``:
# ``session.execute(stmt, execution_options={MOVES: {user_key(id)}})``; an empty set moves none.
MOVES = "reads_moves"

# Written all day, shown by no kept read.
UNSEEN_TABLES = frozenset({"audit_event", "notification_outbox", "push_subscription"})

# A young person's record and account: read by every request of theirs, and kept (kept_rows.py)
# under ``record:<id>``, which only their writes (and ``all``) move; a Core INSERT into them
# moves ``all``.
RECORD_TABLES = frozenset({"young_person", "user"})

REDIS_PREFIX = "portal:reads:"


def young_person_key(young_person_id: uuid.UUID) -> str:
    return f"yp:{young_person_id}"


def user_key(user_id: uuid.UUID) -> str:
    return f"user:{user_id}"


def record_key(young_person_id: uuid.UUID) -> str:
    return f"record:{young_person_id}"


def record_keys_for(user_id: uuid.UUID, young_person_id: uuid.UUID) -> tuple[str, str, str]:
    """The versions a young person's kept session and own record depend on (db/kept_rows.py)."""
    return (ALL, record_key(young_person_id), user_key(user_id))


def keys_for(user_id: uuid.UUID, young_person_id: uuid.UUID) -> tuple[str, str, str]:
    """The versions a young person's kept answer depends on, in the order they are read."""
    return (ALL, young_person_key(young_person_id), user_key(user_id))


class ReadsVersion(Protocol):
    async def current(self, keys: Sequence[str]) -> tuple[str, ...] | None:
        """The versions now, in the order asked; None when they cannot be known (nothing is
        served from what was kept, and nothing new is kept)."""
        ...

    def committed(self, keys: frozenset[str]) -> asyncio.Task[None] | None:
        """At the commit of a session outside ``session_scope`` (a sync event), such as the
        notification worker's: the in-process store bumps here, Redis's starts its bump here.
        ``session_scope``'s sessions are bumped by it instead, after the commit and before the
        response, in one round trip with the figures' version (``db/session.py``)."""
        ...

    async def bump(self, keys: frozenset[str]) -> None:
        """For a write the session events did not see (the CLI's, once it has committed)."""
        ...

    async def close(self) -> None: ...


class MemoryReadsVersion:
    """One worker: one counter, its next value given to every version a commit moves."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self._versions: dict[str, str] = {}

    async def current(self, keys: Sequence[str]) -> tuple[str, ...] | None:
        return tuple(self._versions.get(key, "m0") for key in keys)

    def committed(self, keys: frozenset[str]) -> None:
        value = f"m{next(self._counter)}"
        for key in keys:
            self._versions[key] = value

    async def bump(self, keys: frozenset[str]) -> None:
        self.committed(keys)

    async def close(self) -> None:
        return None


class RedisReadsVersion:
    """Several workers: one Redis key per version, set to a new random token on every bump.

    A key Redis does not hold (first use, or Redis lost its keys) reads as None and is then
    given a token of its own, and no answer is kept under it meanwhile: an answer kept under
    a missing key could otherwise be served again once a lost key was missing once more."""

    def __init__(self, url: str) -> None:
        self._redis = redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self._bumping: set[asyncio.Task[None]] = set()

    async def current(self, keys: Sequence[str]) -> tuple[str, ...] | None:
        try:
            values = await self._redis.mget([REDIS_PREFIX + key for key in keys])
            missing = [key for key, value in zip(keys, values, strict=True) if value is None]
            if missing:
                async with self._redis.pipeline(transaction=False) as pipe:
                    for key in missing:
                        pipe.set(REDIS_PREFIX + key, secrets.token_hex(8), nx=True)
                    await pipe.execute()
                return None
        except RedisError:
            logger.exception("kept reads: Redis unavailable; answers made afresh")
            return None
        return tuple(v.decode() if isinstance(v, bytes) else str(v) for v in values)

    def committed(self, keys: frozenset[str]) -> asyncio.Task[None] | None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # committed outside any event loop: nobody kept anything here
            return None
        task = loop.create_task(self.bump(keys))
        self._bumping.add(task)  # held until done: a task nobody references may be collected
        task.add_done_callback(self._bumping.discard)
        return task

    def names(self, keys: Iterable[str]) -> list[str]:
        """The Redis keys of these versions (for a bump made with the figures': db/session.py)."""
        return [REDIS_PREFIX + key for key in keys]

    async def bump(self, keys: frozenset[str]) -> None:
        token = secrets.token_hex(8)
        try:
            await self._redis.mset({REDIS_PREFIX + key: token for key in keys})
        except RedisError:
            # The write stands. Another worker may serve what it kept before it until the
            # answer's own time runs out (kept_reads.py): at most until the next midnight.
            logger.exception("kept reads: Redis unavailable; versions not bumped")

    async def close(self) -> None:
        await self._redis.aclose()


def make_reads_version(redis_url: str | None) -> ReadsVersion:
    return RedisReadsVersion(redis_url) if redis_url else MemoryReadsVersion()


def _move(session: Session, keys: Iterable[str]) -> None:
    session.info.setdefault(CHANGED, set()).update(keys)


def _plan_owner(session: Session, obj: Any) -> uuid.UUID | None:
    """Whose plan a section, action or response is part of, if the session holds its version."""
    if not isinstance(obj, PlanSection | PlanAction | PlanResponse):
        return None
    version = session.identity_map.get(identity_key(PlanVersion, obj.version_id))
    return version.young_person_id if isinstance(version, PlanVersion) else None


def _keys_of(session: Session, obj: Any, new: bool) -> Iterable[str]:
    """The versions a written row moves."""
    table = getattr(type(obj), "__tablename__", None)
    if table in UNSEEN_TABLES:
        return ()
    if isinstance(obj, AccessToken):
        # A new session has nothing kept on it; one that ends must not be served again.
        return () if new else (user_key(obj.user_id),)
    if isinstance(obj, YoungPerson):
        return (young_person_key(obj.id), record_key(obj.id))
    if isinstance(obj, User) and obj.young_person_id is not None:
        # Their account: a kept session reads it (any change to it, the young person it is for
        # included, moves the account's own version too).
        linked = obj.young_person_id
        return (young_person_key(linked), record_key(linked), user_key(obj.id))
    young_person_id = getattr(obj, "young_person_id", None) or _plan_owner(session, obj)
    if young_person_id is not None:
        return (young_person_key(young_person_id),)
    return (ALL,)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush: _Flush) -> None:
    for obj in session.new:
        _move(session, _keys_of(session, obj, new=True))
    for obj in itertools.chain(session.deleted, session.dirty):
        if obj in session.deleted or session.is_modified(obj):
            _move(session, _keys_of(session, obj, new=False))


def _statement_moves(state: ORMExecuteState) -> Iterable[str]:
    named: Iterable[str] | None = state.execution_options.get(MOVES)
    if named is not None:
        return named
    table = getattr(getattr(state.statement, "table", None), "name", None)
    if table in UNSEEN_TABLES:
        return ()
    if not state.is_insert or table in RECORD_TABLES:
        return (ALL,)
    rows = inserted_rows(state)
    if any(row.get("young_person_id") is None for row in rows):
        return (ALL,)
    return {young_person_key(row["young_person_id"]) for row in rows}


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _move(state.session, _statement_moves(state))


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    changed = session.info.pop(CHANGED, None)
    if not changed:
        return
    if session.info.get(DEFERRED):
        # Two commits in one session (a request that keeps its audit row, then fails): both.
        session.info[PENDING] = session.info.get(PENDING, frozenset()) | changed
        return
    store: ReadsVersion | None = session.info.get(STORE)
    if store is not None:
        store.committed(frozenset(changed))


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(CHANGED, None)
