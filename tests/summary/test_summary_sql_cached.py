"""The home screen's once-built statement is served by SQLAlchemy's compiled cache as it is: no
"post-compile" parameters (expanding ``IN`` lists, ``aggregate_strings`` separators) that make
SQLAlchemy re-render its 6,000 characters of SQL on every execution (bench/README.md, issue 16).
What they became (``db.sql``) answers as they did."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.dialects import registry
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.common.time import today
from portal_api.db.sql import joined_strings, one_of
from portal_api.models import (
    ActionOwner,
    ActionStatus,
    PlanAction,
    PlanState,
    Role,
    User,
    YoungPerson,
)
from portal_api.plans.service import OPEN
from portal_api.summary.service import _own_summary_select
from tests.factories import World, make_plan_version

API = "/api/v1"


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


async def test_the_actions_due_soon_read_back_from_json_are_the_plans_own(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """The home screen reads its actions back from JSON (plans.home.actions_from): every field,
    names with quotes and non-ASCII text included, is what the plan itself answers."""
    on = today()
    async with sessionmaker() as session, session.begin():
        person = await session.get(YoungPerson, world.young_people["own"])
        assert person is not None
        version = await make_plan_version(session, person, 99, PlanState.agreed, agreed_on=on)
        actions = (
            ('Book the "Zoë" appointment', None, ActionOwner.young_person, None, on, OPEN[0]),
            (
                "Bursary form",
                "Money; help",
                ActionOwner.other,
                "O'Neil's college",
                on - timedelta(days=2),
                OPEN[1],
            ),
            ("Not yet", None, ActionOwner.personal_adviser, None, on + timedelta(days=30), OPEN[0]),
            ("Done", None, None, None, on, ActionStatus.done),
        )
        session.add_all(
            PlanAction(
                version_id=version.id,
                position=i,
                section_code="education",
                description=description,
                need=need,
                owner=owner,
                owner_name=owner_name,
                due_on=due_on,
                status=status,
            )
            for i, (description, need, owner, owner_name, due_on, status) in enumerate(actions)
        )
    headers = world.auth("young_person")

    summary = (await client.get(f"{API}/young-people/me/summary", headers=headers)).json()
    plan = (await client.get(f"{API}/young-people/me/plan", headers=headers)).json()

    due = summary["actions_due_soon"]
    assert [a["description"] for a in due] == ["Bursary form", 'Book the "Zoë" appointment']
    shown = {a["id"]: a for a in plan["current"]["actions"]}
    assert due == [shown[a["id"]] for a in due]
