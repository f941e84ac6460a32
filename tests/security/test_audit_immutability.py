"""On PostgreSQL the database itself refuses to change or delete an audit event (migration
0007), so no code path, present or future, can rewrite the trail."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from portal_api.models import AuditEvent

NEVER = "audit events are never changed or deleted"


@pytest.fixture
def postgres_only(engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip(
            "the append-only trigger exists on PostgreSQL only; run with "
            "PORTAL_TEST_DATABASE_URL=postgresql+asyncpg://... (CI does)"
        )


async def _one_event(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session, session.begin():
        event = AuditEvent(action="young_person.read", detail={})
        session.add(event)
        await session.flush()
        return event.id


@pytest.mark.usefixtures("postgres_only")
async def test_an_audit_event_cannot_be_updated(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    event_id = await _one_event(sessionmaker)
    async with sessionmaker() as session:
        with pytest.raises(DBAPIError, match=NEVER):
            await session.execute(
                update(AuditEvent).where(AuditEvent.id == event_id).values(action="nothing")
            )


@pytest.mark.usefixtures("postgres_only")
async def test_an_audit_event_cannot_be_deleted(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    event_id = await _one_event(sessionmaker)
    async with sessionmaker() as session:
        with pytest.raises(DBAPIError, match=NEVER):
            await session.execute(delete(AuditEvent).where(AuditEvent.id == event_id))
