"""The home screen's once-built statement is served by SQLAlchemy's compiled cache as it is: no
"post-compile" parameters (expanding ``IN`` lists, ``aggregate_strings`` separators) that make
SQLAlchemy re-render its 6,000 characters of SQL on every execution (bench/README.md, issue 16).
What they became (``db.sql``) answers as they did."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import registry
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.db.sql import joined_strings, one_of
from portal_api.models import Role, User
from portal_api.summary.service import _own_summary_select
from tests.factories import World


@pytest.mark.parametrize("name", ["postgresql.asyncpg", "sqlite.aiosqlite"])
def test_the_home_screens_statement_has_nothing_rendered_per_execution(name: str) -> None:
    compiled = _own_summary_select().compile(dialect=registry.load(name)())

    assert not compiled.literal_execute_params
    assert not compiled.post_compile_params
    assert "POSTCOMPILE" not in compiled.string


async def test_joined_strings_and_one_of_answer_as_aggregate_strings_and_in_do(
    session: AsyncSession, world: World
) -> None:
    staff = [world.users[who] for who in ("pa", "team_manager", "admin", "young_person")]
    casework = [Role.personal_adviser.value, Role.manager.value]
    # A separator with a quote in it: written into the SQL, it must still be one string.
    statement = select(joined_strings(User.role, "'; ")).where(
        User.id.in_(staff), one_of(User.role, casework)
    )

    joined = await session.scalar(statement)

    assert joined is not None
    assert sorted(joined.split("'; ")) == ["manager", "personal_adviser"]
    assert (
        await session.scalar(select(joined_strings(User.email, ";")).where(one_of(User.id, [])))
        is None
    )
