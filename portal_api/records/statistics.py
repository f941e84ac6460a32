"""Fresh planner statistics for what an import wrote: which tables it touched, and ANALYZE."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from portal_api.models import Allocation


@contextmanager
def tables_written(session: AsyncSession, tables: set[str]) -> Iterator[None]:
    def note(flushing: Session, *_: object) -> None:
        for obj in (*flushing.new, *flushing.dirty, *flushing.deleted):
            tables.add(obj.__table__.name)

    event.listen(session.sync_session, "before_flush", note)
    try:
        yield
    finally:
        event.remove(session.sync_session, "before_flush", note)
    # Rows the import deletes with a statement (an allocation history rewritten).
    tables.add(Allocation.__tablename__)


async def refresh_statistics(session: AsyncSession, tables: set[str]) -> None:
    """ANALYZE what the import wrote, after it committed. Until autovacuum gets round to it the
    planner believes a freshly filled table empty, and chose plans that took the overview of
    5,000 young people from 0.3 s to nearly two minutes (bench/README.md, "Reports")."""
    conn = await session.connection()
    if conn.dialect.name == "postgresql":
        quoted = ", ".join(conn.dialect.identifier_preparer.quote(t) for t in sorted(tables))
        await conn.exec_driver_sql(f"ANALYZE {quoted}")
    else:
        await conn.exec_driver_sql("ANALYZE")
