"""The figures' data version: what tells a cached figure that the data under it has changed.

The manager's figures are cached (``reports/cache.py``) under a key that carries a version of the
data. Two things make up the version:

- a token that every committed write through the API changes, after the commit and before the
  writer's response is sent (``session_scope`` calls ``bump``): in Redis when
  ``PORTAL_REDIS_URL`` is set, so every worker sees it; in process otherwise (one worker, which is
  what docs/operations.md already requires without Redis);
- the organisation's ``figures_generation``, raised inside the transaction of a bulk write made
  outside the API (``portal import``, the demo seed, ``portal create-user``): a CLI process cannot
  reach a server's memory, but the server reads that row with every figure.

Which writes count: every write is assumed to change a figure except those to ``QUIET_TABLES``
(sign-in sessions, audit, notices, read marks...), which are written on reads and sign-ins and no
figure reads (``tests/reports/test_figures_cache.py`` checks that the measures never name them). A
write this misses (a raw ``exec_driver_sql`` through the connection) would leave figures stale:
nothing in the API writes that way today.

Tokens never repeat (a random one per bump in Redis, a counter that lives as long as the cache in
process), so a result computed under an old token can never be found under a new one.

Which young people a write touched: each bump also records the young people whose rows the
transaction wrote (``young_person_id``, or a young person's own row), in a short log beside the
token, or "everyone" when a written row belongs to no one young person (a team, a member of
staff, the council's settings, a document type) or a bulk UPDATE/DELETE that does not say whose
rows it changes. The figures kept between writes (``reports/measures/standing.py``) read the log
to recompute only those young people; anything the log cannot say (a token it no longer holds,
"everyone") means computing everyone again, as a miss always did.
"""

from __future__ import annotations

import itertools
import logging
import secrets
import uuid
from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import redis.asyncio as redis
from redis.exceptions import RedisError
from sqlalchemy import event, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm import UOWTransaction as _Flush

from portal_api.models import Organisation, YoungPerson

logger = logging.getLogger(__name__)

CHANGED = "figures_changed"  # session.info: the young people written so far, or EVERYONE
COMMITTED = "figures_committed"  # session.info: ...and it has committed; the bump is due, with them
VERSION = "figures_version"  # session.info (from the sessionmaker): where to bump it
# A bulk UPDATE or DELETE on a table a figure reads names whose rows it changes here, or it
# counts as touching everyone: ``session.execute(stmt, execution_options={TOUCHES: {yp_id}})``.
TOUCHES = "figures_touches"


class _Everyone:
    """The written rows belong to no one young person: every young person's figures may move."""

    def __repr__(self) -> str:
        return "EVERYONE"


EVERYONE = _Everyone()
# What a committed transaction touched: some young people, or everyone.
Touched = frozenset[uuid.UUID] | _Everyone
# The log beside the token: long enough for the writes between two figures on a busy day, short
# enough to read whole. A reader whose token has left it computes everyone again.
LOG_LENGTH = 1000
# A transaction that touched more young people than this is logged as touching everyone.
MOST_IN_ONE_ENTRY = 500

# Written by reads and sign-ins, read by no figure. Anything not named here bumps the version.
QUIET_TABLES = frozenset(
    {
        "audit_event",
        "access_token",
        "totp_credential",
        "password_reset",
        "invite",
        "notification_outbox",
        "message_notice",
        "push_subscription",
        "read_mark",
        "local_offer_view",
        "plan_pdf",
        # A plan's words and actions, a concern's actions and staff availability: written all
        # day, read by no figure (the plan measures read versions and receipts).
        "plan_section",
        "plan_action",
        "plan_response",
        "concern_action",
        "availability",
    }
)

REDIS_KEY = "portal:figures:version"
REDIS_LOG = "portal:figures:log"


class FiguresVersion(Protocol):
    async def current(self) -> str | None:
        """The token now; None when it cannot be known (then nothing is cached or reused)."""
        ...

    def committed(self, touched: Touched) -> None:
        """At the commit itself (a sync event): the in-process store bumps here, so a session
        committed outside ``session_scope`` (tests, the CLI) bumps too."""
        ...

    async def bump(self, touched: Touched) -> None: ...

    async def touched_between(self, since: str, upto: str) -> Touched | None:
        """The young people touched by the bumps after ``since`` up to and including ``upto``;
        empty when ``upto`` is not later than ``since``; None when the log cannot say."""
        ...

    async def close(self) -> None: ...


def touched_in(log: list[tuple[str, Touched]], since: str, upto: str) -> Touched | None:
    """``touched_between`` over a log, oldest first."""
    if since == upto:
        return frozenset()
    positions = {token: i for i, (token, _) in enumerate(log)}
    start, end = positions.get(since), positions.get(upto)
    if start is None or end is None:
        return None
    if end < start:
        return frozenset()  # what was kept is newer than what was asked for
    ids: set[uuid.UUID] = set()
    for _, touched in log[start + 1 : end + 1]:
        if isinstance(touched, _Everyone):
            return EVERYONE
        ids |= touched
    return frozenset(ids)


class MemoryFiguresVersion:
    """One worker: a counter. It starts again with the process, and so does the cache."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self._token = "m0"  # noqa: S105 - a version, not a secret
        self._log: deque[tuple[str, Touched]] = deque([(self._token, frozenset())], LOG_LENGTH)

    async def current(self) -> str | None:
        return self._token

    def committed(self, touched: Touched) -> None:
        self._token = f"m{next(self._counter)}"
        self._log.append((self._token, _bounded(touched)))

    async def bump(self, touched: Touched) -> None:
        self.committed(touched)

    async def touched_between(self, since: str, upto: str) -> Touched | None:
        return touched_in(list(self._log), since, upto)

    async def close(self) -> None:
        return None


def _bounded(touched: Touched) -> Touched:
    if isinstance(touched, frozenset) and len(touched) > MOST_IN_ONE_ENTRY:
        return EVERYONE
    return touched


def _encoded(token: str, touched: Touched) -> str:
    if isinstance(touched, _Everyone):
        return f"{token} *"
    return " ".join([token, *sorted(str(i) for i in touched)])


def _decoded(entry: bytes | str) -> tuple[str, Touched]:
    token, *rest = (entry.decode() if isinstance(entry, bytes) else entry).split(" ")
    if rest == ["*"]:
        return token, EVERYONE
    return token, frozenset(uuid.UUID(i) for i in rest)


# A bump: the new token and its log entry, the log kept to its length, and any other versions
# the same commit moves (the kept reads', ``db/session.py``) set to the token too. One script, so
# atomic as a MULTI would be (the log's order is the tokens' order, and no reader sees a token
# without its entry), and one reply to read where a transaction had six: every write pays it.
_BUMP = """
redis.call('SET', KEYS[1], ARGV[1])
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
for i = 3, #KEYS do
  redis.call('SET', KEYS[i], ARGV[1])
end
return 1
"""


class RedisFiguresVersion:
    """Several workers: one Redis key, set to a new random token on every bump."""

    def __init__(self, url: str) -> None:
        self._redis = redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self._bump: Any = self._redis.register_script(_BUMP)
        # A bump Redis could not take: whom it touched is unknown to the other workers, so this
        # worker's next bump says "everyone" and their kept figures are computed afresh.
        self._lost = False

    async def current(self) -> str | None:
        try:
            token = await self._redis.get(REDIS_KEY)
            if token is None:
                # First use, or Redis lost its keys: a new token, so nothing cached before is used.
                await self._redis.set(REDIS_KEY, secrets.token_hex(8), nx=True)
                token = await self._redis.get(REDIS_KEY)
        except RedisError:
            logger.exception("figures version: Redis unavailable; figures computed uncached")
            return None
        return token.decode() if isinstance(token, bytes) else token

    def committed(self, touched: Touched) -> None:
        return None  # Redis is asynchronous: session_scope awaits ``bump``

    async def bump(self, touched: Touched, also: Sequence[str] = ()) -> None:
        """``also``: other Redis keys the same commit moves, set to the same new token in the
        same round trip (the kept reads' versions: one round trip after a write, not two)."""
        token = secrets.token_hex(8)
        if self._lost:
            touched = EVERYONE
        try:
            entry = _encoded(token, _bounded(touched))
            keys, args = [REDIS_KEY, REDIS_LOG, *also], [token, entry, LOG_LENGTH]
            await self._bump(keys=keys, args=args, client=self._redis)
            self._lost = False
        except RedisError:
            self._lost = True
            # The write stands. Other workers may show the figures from before it until their
            # cached entries expire (reports/cache.py, ENTRY_SECONDS).
            logger.exception("figures version: Redis unavailable; version not bumped")

    async def touched_between(self, since: str, upto: str) -> Touched | None:
        if since == upto:
            return frozenset()
        try:
            entries = await self._redis.lrange(REDIS_LOG, 0, -1)
        except RedisError:
            logger.exception("figures version: Redis unavailable; everyone computed again")
            return None
        return touched_in([_decoded(e) for e in entries], since, upto)

    async def close(self) -> None:
        await self._redis.aclose()


def make_figures_version(redis_url: str | None) -> FiguresVersion:
    return RedisFiguresVersion(redis_url) if redis_url else MemoryFiguresVersion()


def _loud(table: Any) -> bool:
    name = getattr(table, "name", None)
    return name is None or name not in QUIET_TABLES


def _touch(session: Session, young_people: Iterable[uuid.UUID | None] | _Everyone) -> None:
    """Add to what this transaction touched; None among them (a row of no young person's, such
    as a member of staff's account) makes it everyone."""
    so_far = session.info.get(CHANGED)
    if isinstance(so_far, _Everyone):
        return
    ids = set() if so_far is None else so_far
    if isinstance(young_people, _Everyone):
        session.info[CHANGED] = EVERYONE
        return
    for yp in young_people:
        if yp is None:
            session.info[CHANGED] = EVERYONE
            return
        ids.add(yp)
    session.info[CHANGED] = ids


def _young_person_of(obj: Any) -> uuid.UUID | None:
    if isinstance(obj, YoungPerson):
        return obj.id
    return getattr(obj, "young_person_id", None)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush: _Flush) -> None:
    if isinstance(session.info.get(CHANGED), _Everyone):
        return
    dirty = (obj for obj in session.dirty if session.is_modified(obj))
    written = [
        obj
        for obj in itertools.chain(session.new, session.deleted, dirty)
        if _loud(getattr(type(obj), "__table__", None))
    ]
    if written:
        _touch(session, [_young_person_of(obj) for obj in written])


def _statement_touches(state: ORMExecuteState) -> Iterable[uuid.UUID | None] | _Everyone:
    """Whose rows a Core INSERT, UPDATE or DELETE writes, as far as the statement says."""
    named = state.execution_options.get(TOUCHES)
    if named is not None:
        return list(named)
    if not state.is_insert:
        return EVERYONE
    rows = inserted_rows(state)
    if any("young_person_id" not in row for row in rows):
        return EVERYONE
    return [row["young_person_id"] for row in rows]


def inserted_rows(state: ORMExecuteState) -> list[Any]:
    """The rows a Core INSERT writes, each as a mapping of its column values."""
    params: Any = state.parameters
    rows: list[Any] = (
        list(params) if isinstance(params, list | tuple) else [params] if params else []
    )
    if not rows:
        # Values written into the statement itself (``insert(t).values(...)``).
        statement: Any = state.statement
        rows = [statement.compile().params]
    return rows


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if _loud(getattr(state.statement, "table", None)):
        _touch(state.session, _statement_touches(state))


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    so_far = session.info.pop(CHANGED, None)
    if so_far is None:
        return
    touched: Touched = so_far if isinstance(so_far, _Everyone) else frozenset(so_far)
    # A session that commits twice (a request that keeps its audit row, then fails) is bumped
    # once, for both.
    before: Touched | None = session.info.get(COMMITTED)
    if before is None:
        session.info[COMMITTED] = touched
    elif isinstance(before, frozenset) and isinstance(touched, frozenset):
        session.info[COMMITTED] = before | touched
    else:
        session.info[COMMITTED] = EVERYONE
    version: FiguresVersion | None = session.info.get(VERSION)
    if version is not None:
        version.committed(touched)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(CHANGED, None)


async def raise_generation(session: AsyncSession, org_id: uuid.UUID) -> None:
    """A bulk write outside the API: in its own transaction, so the figures see both or neither.
    Last in the transaction, so the organisation's row is locked only for the commit."""
    await session.execute(
        update(Organisation)
        .where(Organisation.id == org_id)
        .values(figures_generation=Organisation.figures_generation + 1)
    )
