"""No figure's query turns quadratic when PostgreSQL's planner statistics are stale (issue 16).

Straight after an import without ANALYZE the planner believed the tables empty and joined each
aggregated history subquery to the young people in a nested loop, re-reading the whole history
table once per young person: 100 s for the overview of 5,000 (bench/README.md, "Reports"). Here
the planner is made to forget every table's statistics, as it stands before any ANALYZE, and each
query the overview runs is EXPLAIN ANALYZEd in the overview's own transaction (its settings, its
temporary tables): no scan may read many times more rows than the largest table it reads holds.
Row counts, not times: a re-read per young person is ~300 times over, whatever the machine's load.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import event, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from portal_api.common.actor import Actor
from portal_api.models import User
from portal_api.reports import measures
from tests.reports.council import AS_OF, build_council

# A scan that re-runs once per young person reads about (young people) times its table; reading
# each table once, or an index lookup per row of a bigger table, stays within this.
READS_PER_ROW = 3


@pytest.fixture
async def stale_postgres(engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip(
            "planner statistics are PostgreSQL's: run with "
            "PORTAL_TEST_DATABASE_URL=postgresql+asyncpg://... (CI does)"
        )
    async with engine.connect() as conn:
        superuser = await conn.scalar(
            text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        )
    if not superuser:
        pytest.skip("forgetting planner statistics writes the catalogue: needs a superuser")


async def forget_statistics(engine: AsyncEngine) -> None:
    """What the planner sees of a table filled but never analysed (bench/reports.py does the
    same): no column statistics, row counts guessed from the files' sizes."""
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "DELETE FROM pg_statistic WHERE starelid IN"
                " (SELECT relid FROM pg_stat_user_tables WHERE schemaname = 'public')"
            )
        )
        await conn.execute(
            text(
                "UPDATE pg_class SET reltuples = -1, relpages = 0, relallvisible = 0 WHERE oid IN"
                " (SELECT relid FROM pg_stat_user_tables WHERE schemaname = 'public')"
            )
        )


def scans(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if "Relation Name" in plan:
        yield plan
    for child in plan.get("Plans", []):
        yield from scans(child)


def rows_read(node: dict[str, Any]) -> float:
    """Rows a scan handled over all its loops (EXPLAIN's row counts are per loop)."""
    per_loop = (
        node["Actual Rows"]
        + node.get("Rows Removed by Filter", 0)
        + node.get("Rows Removed by Index Recheck", 0)
    )
    return float(per_loop * node["Actual Loops"])


@pytest.mark.usefixtures("stale_postgres")
async def test_the_overview_reads_each_history_row_once_with_stale_statistics(
    sessionmaker: async_sessionmaker[AsyncSession], engine: AsyncEngine, app: FastAPI
) -> None:
    async with sessionmaker() as session, session.begin():
        council = await build_council(session, size=200)
    await forget_statistics(engine)

    statements: list[tuple[str, Any]] = []

    def seen(conn: Connection, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, params))

    failures: list[str] = []
    async with sessionmaker() as session, session.begin():
        user = await session.scalar(select(User).where(User.id == council.staff["org_manager"]))
        assert user is not None
        event.listen(engine.sync_engine, "before_cursor_execute", seen)
        try:
            overview = await measures.overview(
                session,
                Actor(user=user, ip=None),
                app.state.library,
                as_of=AS_OF,
                team_id=None,
                adviser_id=None,
            )
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", seen)
        assert sum(row.count for row in overview.measures.caseload) > 80  # not over nobody
        conn = await session.connection()
        for statement, params in statements:
            explained = await conn.exec_driver_sql(
                "EXPLAIN (ANALYZE, FORMAT JSON) " + statement, tuple(params or ())
            )
            raw = explained.scalar_one()
            root = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
            nodes = list(scans(root))
            sizes = {}
            for node in nodes:
                name = node["Relation Name"]
                if name not in sizes:
                    sizes[name] = await conn.scalar(text(f'SELECT count(*) FROM "{name}"'))  # noqa: S608
            largest = max(sizes.values(), default=0)
            for node in nodes:
                read = rows_read(node)
                if read > READS_PER_ROW * max(largest, 1):
                    failures.append(
                        f"{node['Node Type']} on {node['Relation Name']} read {read:.0f} rows "
                        f"({node['Actual Loops']} loops) where the largest table read has "
                        f"{largest}: {' '.join(statement.split())[:160]}"
                    )
    assert statements, "the overview ran no query"
    assert not failures, "\n".join(failures)
