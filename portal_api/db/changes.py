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
"""

from __future__ import annotations

import itertools
import logging
import secrets
import uuid
from typing import Any, Protocol

import redis.asyncio as redis
from redis.exceptions import RedisError
from sqlalchemy import event, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm import UOWTransaction as _Flush

from portal_api.models import Organisation

logger = logging.getLogger(__name__)

CHANGED = "figures_changed"  # session.info: this transaction wrote something a figure may read
COMMITTED = "figures_committed"  # session.info: ...and it has committed; the bump is due
VERSION = "figures_version"  # session.info (from the sessionmaker): where to bump it

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
    }
)

REDIS_KEY = "portal:figures:version"


class FiguresVersion(Protocol):
    async def current(self) -> str | None:
        """The token now; None when it cannot be known (then nothing is cached or reused)."""
        ...

    def committed(self) -> None:
        """At the commit itself (a sync event): the in-process store bumps here, so a session
        committed outside ``session_scope`` (tests, the CLI) bumps too."""
        ...

    async def bump(self) -> None: ...

    async def close(self) -> None: ...


class MemoryFiguresVersion:
    """One worker: a counter. It starts again with the process, and so does the cache."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self._token = "m0"  # noqa: S105 - a version, not a secret

    async def current(self) -> str | None:
        return self._token

    def committed(self) -> None:
        self._token = f"m{next(self._counter)}"

    async def bump(self) -> None:
        self.committed()

    async def close(self) -> None:
        return None


class RedisFiguresVersion:
    """Several workers: one Redis key, set to a new random token on every bump."""

    def __init__(self, url: str) -> None:
        self._redis = redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)

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

    def committed(self) -> None:
        return None  # Redis is asynchronous: session_scope awaits ``bump``

    async def bump(self) -> None:
        try:
            await self._redis.set(REDIS_KEY, secrets.token_hex(8))
        except RedisError:
            # The write stands. Other workers may show the figures from before it until their
            # cached entries expire (reports/cache.py, ENTRY_SECONDS).
            logger.exception("figures version: Redis unavailable; version not bumped")

    async def close(self) -> None:
        await self._redis.aclose()


def make_figures_version(redis_url: str | None) -> FiguresVersion:
    return RedisFiguresVersion(redis_url) if redis_url else MemoryFiguresVersion()


def _loud(table: Any) -> bool:
    name = getattr(table, "name", None)
    return name is None or name not in QUIET_TABLES


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush: _Flush) -> None:
    if session.info.get(CHANGED):
        return
    dirty = (obj for obj in session.dirty if session.is_modified(obj))
    for obj in itertools.chain(session.new, session.deleted, dirty):
        table = getattr(type(obj), "__table__", None)
        if _loud(table):
            session.info[CHANGED] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if _loud(getattr(state.statement, "table", None)):
        state.session.info[CHANGED] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if not session.info.pop(CHANGED, False):
        return
    session.info[COMMITTED] = True
    version: FiguresVersion | None = session.info.get(VERSION)
    if version is not None:
        version.committed()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(CHANGED, None)


async def bump_after_commit(session: AsyncSession) -> None:
    """Once the transaction has committed and before the response is sent: read-your-writes."""
    if not session.info.pop(COMMITTED, False):
        return
    version: FiguresVersion | None = session.info.get(VERSION)
    if version is not None:
        await version.bump()


async def raise_generation(session: AsyncSession, org_id: uuid.UUID) -> None:
    """A bulk write outside the API: in its own transaction, so the figures see both or neither.
    Last in the transaction, so the organisation's row is locked only for the commit."""
    await session.execute(
        update(Organisation)
        .where(Organisation.id == org_id)
        .values(figures_generation=Organisation.figures_generation + 1)
    )
