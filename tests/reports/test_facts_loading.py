"""How the figures' facts are read and let go.

On PostgreSQL the several-rows histories are read on a second connection while the young people's
query runs on the request's (queries.load): the facts must be exactly those one connection reads,
and the second connection must really be used (so the HTTP tests beside this one, judged by
expected.py, run the concurrent path on PostgreSQL). And the facts, with every outcome the rules
made from them, are freed by reference counting alone, while the collector is paused
(facts.paused_gc): a cycle through them would leave hundreds of thousands of objects for the
collector to walk when it comes back."""

from __future__ import annotations

import gc
import weakref
from datetime import date
from typing import Any

from fastapi import FastAPI
from sqlalchemy import event, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from portal_api.common.actor import Actor
from portal_api.documents.catalogue import catalogue
from portal_api.models import EntitlementStatus, User
from portal_api.reports.measures import ALL_NEEDS, pages, queries
from portal_api.reports.measures.facts import Facts, ScopeFilter
from portal_api.reports.measures.figures import listed, measures
from portal_api.reports.measures.rules import MEASURES
from tests.reports.council import AS_OF, build_council


async def _facts(
    session: AsyncSession, app: FastAPI, scope: ScopeFilter, on: date, side: bool | None
) -> Facts:
    org_id = scope.actor.user.org_id
    content = await pages(session, app.state.library, org_id)
    return await queries.load(
        session,
        scope,
        on,
        ALL_NEEDS,
        core_pages=content.core,
        claimable_pages=content.claimable,
        document_types=await catalogue(session, org_id, include_retired=True),
        side_connection=side,
    )


async def test_histories_read_on_a_side_connection_are_what_one_connection_reads(
    sessionmaker: async_sessionmaker[AsyncSession], engine: AsyncEngine, app: FastAPI
) -> None:
    async with sessionmaker() as session, session.begin():
        council = await build_council(session)
    used: set[int] = set()

    def seen(conn: Connection, *_: Any) -> None:
        used.add(id(conn.connection.dbapi_connection))

    async with sessionmaker() as session, session.begin():
        user = await session.scalar(select(User).where(User.id == council.staff["org_manager"]))
        assert user is not None
        actor = Actor(user=user, ip=None)
        scopes = [
            ScopeFilter(actor),
            ScopeFilter(actor, team_id=council.teams["north"]),
            ScopeFilter(actor, adviser_id=council.staff["pa_s1"]),
        ]
        for scope in scopes:
            for on in (AS_OF, date(2026, 3, 31)):
                alone = await _facts(session, app, scope, on, side=False)
                assert alone.people, "a scope with nobody in it would prove nothing"
                assert alone.messages or alone.entitlements or alone.documents
                # The rules compare statuses by identity: each is the enum, on either database.
                statuses = [e.status for r in alone.entitlements.values() for e in r.values()]
                assert all(isinstance(s, EntitlementStatus) for s in statuses)
                used.clear()
                event.listen(engine.sync_engine, "before_cursor_execute", seen)
                try:
                    beside = await _facts(session, app, scope, on, side=None)
                finally:
                    event.remove(engine.sync_engine, "before_cursor_execute", seen)
                assert beside == alone, (scope, on)
                # PostgreSQL's default is the side connection; SQLite keeps to one.
                assert len(used) == (2 if engine.dialect.name == "postgresql" else 1)


async def test_facts_and_every_outcome_are_freed_without_the_collector(
    sessionmaker: async_sessionmaker[AsyncSession], app: FastAPI
) -> None:
    async with sessionmaker() as session, session.begin():
        council = await build_council(session)
    async with sessionmaker() as session, session.begin():
        user = await session.scalar(select(User).where(User.id == council.staff["org_manager"]))
        assert user is not None
        facts = await _facts(session, app, ScopeFilter(Actor(user=user, ip=None)), AS_OF, None)
    gone = weakref.ref(facts)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        figures = measures(facts, date(2020, 1, 1))
        rows = [listed(facts, m, None) for m in MEASURES.values()]
        assert figures.rights_informed
        assert figures.rights_informed.denominator
        assert any(rows)
        del facts, rows  # the rows' reasons read the facts, as they should while kept
        assert gone() is None, "something the rules made holds the facts in a cycle"
    finally:
        if was_enabled:
            gc.enable()
