"""Engine and sessions. The request holds the transaction: one commit at the end of a good request."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from portal_api.db import kept_rows, reads_version
from portal_api.db.changes import (
    COMMITTED,
    VERSION,
    FiguresVersion,
    RedisFiguresVersion,
    Touched,
)

logger = logging.getLogger(__name__)


def make_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    # SQL logging (echo, or DEBUG logging) and database errors would otherwise carry statement
    # values: a young person's messages, names, token hashes. The API, the CLI and the worker
    # all get their engine here.
    kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
    if url.startswith("sqlite"):
        # One writer at a time is SQLite's nature; wait for the lock rather than failing at once.
        kwargs["connect_args"] = {"timeout": 30}
    else:
        # No pre-ping: it costs three round trips on every request (measured: about 10% of a
        # summary); connections are recycled instead, and a dropped one fails one request.
        kwargs.update(pool_size=20, max_overflow=20, pool_recycle=1800)
    engine = create_async_engine(url, **kwargs)
    if url.startswith("sqlite"):

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    return engine


def make_sessionmaker(
    engine: AsyncEngine,
    figures: FiguresVersion | None = None,
    reads: reads_version.ReadsVersion | None = None,
) -> async_sessionmaker[AsyncSession]:
    """``figures``: the version every committed write bumps (db/changes.py); ``reads``: the kept
    reads' versions (db/reads_version.py). The API's sessions carry both, the CLI's neither (a
    bulk write raises the organisation's generation, and the CLI bumps every kept read)."""
    info: dict[str, Any] = {}
    if figures is not None:
        info[VERSION] = figures
    if reads is not None:
        info[reads_version.STORE] = reads
        # The rows a young person's requests read every time, kept under the same versions.
        info[kept_rows.KEPT] = kept_rows.KeptRows()
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False, info=info or None)


@asynccontextmanager
async def session_scope(maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """Commit once when the work succeeded; roll everything back when it raised."""
    async with maker() as session:
        session.info[reads_version.DEFERRED] = True  # bumped below, with the figures'
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            # What an earlier commit of this session's wrote stands (a failed sign-in's audit row).
            await _bump_versions(session)
            raise
        # First: a figure or a kept read after the response must not be one from before it.
        await _bump_versions(session)
        await run_after_commit(session)


async def _bump_versions(session: AsyncSession) -> None:
    """The figures' version and the kept reads' versions this commit moved: in one Redis round
    trip when both live there (every write pays it; bench/README.md, "Kept rows")."""
    touched: Touched | None = session.info.pop(COMMITTED, None)
    keys: frozenset[str] | None = session.info.pop(reads_version.PENDING, None)
    figures = session.info.get(VERSION)
    reads = session.info.get(reads_version.STORE)
    if (
        touched is not None
        and keys
        and isinstance(figures, RedisFiguresVersion)
        and isinstance(reads, reads_version.RedisReadsVersion)
    ):
        await figures.bump(touched, also=reads.names(keys))
        return
    if touched is not None and figures is not None:
        await figures.bump(touched)
    if keys and reads is not None:
        await reads.bump(keys)


async def _request_session(request: Request) -> AsyncIterator[AsyncSession]:
    # A context manager, not `async for`: the request's error must reach session_scope now, so the
    # rollback and the connection's return happen before the answer, not whenever it is collected.
    async with session_scope(request.app.state.sessionmaker) as session:
        yield session


# scope="function": the commit happens before the response is sent, so a 201 means it is stored.
SessionDep = Annotated[AsyncSession, Depends(_request_session, scope="function")]


def dialect_insert(dialect: str, table: Any) -> Any:
    """``INSERT`` in a dialect's own construct, the one with ``on_conflict_do_nothing`` and
    ``on_conflict_do_update``: PostgreSQL's, or SQLite's (the embedded default)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def insert_or_ignore(session: AsyncSession, table: Any, values: dict[str, Any]) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING`` in the session's dialect: add ``.returning(…)`` to
    get the new row back (none when another worker's copy was stored first)."""
    insert = dialect_insert(session.get_bind().dialect.name, table)
    return insert.values(**values).on_conflict_do_nothing()


async def insert_ignoring_duplicates(
    session: AsyncSession, table: Any, values: dict[str, Any]
) -> bool:
    """INSERT that quietly keeps the existing row when another worker got there first.
    True if this call inserted the row."""
    result = await session.execute(insert_or_ignore(session, table, values))
    return bool(getattr(result, "rowcount", 0))


AfterCommit = Callable[[], Awaitable[None]]


def after_commit(session: AsyncSession, callback: AfterCommit) -> None:
    """Run ``callback`` once this session's transaction has committed (live events, waking the
    notification worker): nobody hears of a message that a rollback then took back."""
    session.info.setdefault("after_commit", []).append(callback)


async def run_after_commit(session: AsyncSession) -> None:
    callbacks: list[AfterCommit] = session.info.pop("after_commit", [])
    for callback in callbacks:
        try:
            await callback()
        except Exception:  # the commit stands; a missed live event is caught up by polling
            logger.exception("after-commit callback failed")
