"""Allocation history in the import (DESIGN.md): team and PA from/to per young person, checked
with line-numbered errors, written once, replayed by the figures; a file without it imports as
before (today's allocation starts at the import)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.common.time import today
from portal_api.models import Allocation, Organisation, Role, User, YoungPerson
from portal_api.people.service import reallocate
from portal_api.records.import_lines import ImportFailed
from tests.factories import make_user
from tests.records.test_import import (  # noqa: F401 (org: the council fixture)
    PA1,
    PA2,
    _failure,
    _import,
    _line,
    _person,
    _user_id,
    org,
)

pytestmark = pytest.mark.usefixtures("org")

FORMER = "former@example.org"
HISTORY: list[dict[str, Any]] = [
    {"team": "South", "personal_adviser_email": FORMER, "from": "2024-01-10", "to": "2024-09-01"},
    {"team": "North", "personal_adviser_email": PA2, "from": "2024-09-01", "to": "2025-06-01"},
    {"team": "North", "personal_adviser_email": PA1, "from": "2025-06-01", "to": None},
]


@pytest.fixture
async def former(
    sessionmaker: async_sessionmaker[AsyncSession],
    org: Organisation,  # noqa: F811 (the fixture imported above)
) -> None:
    """A PA who has left: a disabled account, no longer in any team."""
    async with sessionmaker() as session, session.begin():
        user = await make_user(session, org, Role.personal_adviser, email=FORMER)
        user.is_active = False


async def _rows(session: AsyncSession) -> list[tuple[str, str | None, date, date | None]]:
    person = await _person(session)
    users = await session.execute(select(User.id, User.email))
    names: dict[uuid.UUID, str | None] = {row.id: row.email for row in users}
    found = await session.execute(
        select(Allocation)
        .where(Allocation.young_person_id == person.id)
        .order_by(Allocation.started_on)
    )
    rows = []
    for a in found.scalars():
        rows.append(
            (
                str(a.team_id),
                names.get(a.adviser_id) if a.adviser_id else None,
                a.started_on,
                a.ended_on,
            )
        )
    return rows


@pytest.mark.usefixtures("former")
async def test_history_is_written_with_its_own_dates_and_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    first = await _import(sessionmaker, [_line(allocations=HISTORY)])
    async with sessionmaker() as session:
        rows = await _rows(session)
        person = await _person(session)
    assert [(pa, start, end) for _, pa, start, end in rows] == [
        (FORMER, date(2024, 1, 10), date(2024, 9, 1)),
        (PA2, date(2024, 9, 1), date(2025, 6, 1)),
        (PA1, date(2025, 6, 1), None),
    ]
    assert rows[0][0] != rows[1][0]  # South, then North
    assert str(person.team_id) == rows[2][0]
    assert "South" in first.teams_created
    again = await _import(sessionmaker, [_line(allocations=HISTORY)])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    async with sessionmaker() as session:
        assert await _rows(session) == rows


@pytest.mark.usefixtures("former")
async def test_history_that_ended_leaves_todays_allocation_starting_at_the_import(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    closed = [*HISTORY[:2], {**HISTORY[2], "to": "2025-09-01"}]
    await _import(sessionmaker, [_line(allocations=closed)])
    async with sessionmaker() as session:
        rows = await _rows(session)
    assert [(pa, start, end) for _, pa, start, end in rows][-2:] == [
        (PA1, date(2025, 6, 1), date(2025, 9, 1)),
        (PA1, today(), None),
    ]


async def test_a_file_without_history_imports_as_before(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await _import(sessionmaker, [_line()])
    async with sessionmaker() as session:
        rows = await _rows(session)
    assert [(pa, start, end) for _, pa, start, end in rows] == [(PA1, today(), None)]


async def test_history_replaces_what_an_earlier_import_opened(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await _import(sessionmaker, [_line()])
    result = await _import(sessionmaker, [_line(allocations=HISTORY[1:])])
    assert result.updated == 1
    async with sessionmaker() as session:
        rows = await _rows(session)
    assert [(pa, start) for _, pa, start, _ in rows] == [
        (PA2, date(2024, 9, 1)),
        (PA1, date(2025, 6, 1)),
    ]


async def test_a_reallocation_made_in_the_portal_stands(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await _import(sessionmaker, [_line()])
    async with sessionmaker() as session, session.begin():
        person = await _person(session)
        manager = await make_user(
            session, await session.get_one(Organisation, person.org_id), Role.manager
        )
        await reallocate(
            session,
            person,
            team_id=person.team_id,
            adviser_id=await _user_id(session, PA2),
            on=today(),
            recorded_by_id=manager.id,
        )
    await _import(sessionmaker, [_line(allocations=HISTORY[1:])])
    async with sessionmaker() as session:
        rows = await _rows(session)
        person = await _person(session)
        by_staff = await session.scalar(
            select(Allocation).where(Allocation.recorded_by_id == manager.id)
        )
        pa1 = await _user_id(session, PA1)
    # The portal's own row stays and the file's history is not written over it; the file's
    # current PA becomes today's allocation, as a file without history does.
    assert by_staff is not None
    assert all(start == today() for _, _, start, _ in rows)
    assert person.personal_adviser_id == pa1


@pytest.mark.parametrize(
    ("allocations", "field", "words"),
    [
        ([{**HISTORY[2], "to": "2025-05-01"}], "allocations.0.to", "after from"),
        ([{**HISTORY[2], "from": "2999-01-01"}], "allocations.0.from", "future"),
        ([{**HISTORY[1], "to": "2999-01-01"}], "allocations.0.to", "future"),
        ([{**HISTORY[1], "to": "2025-07-01"}, HISTORY[2]], "allocations", "overlaps"),
        ([{**HISTORY[1], "to": None}, HISTORY[2]], "allocations", "still open"),
        ([HISTORY[1], {**HISTORY[2], "team": "South"}], "allocations", "same team"),
        ([{**HISTORY[2], "personal_adviser_email": PA2}], "allocations", "personal_adviser_email"),
        ([{**HISTORY[2], "until": None}], "allocations.0.until", ""),
    ],
)
def test_bad_history_fails_naming_the_line_and_field(
    allocations: list[dict[str, Any]], field: str, words: str
) -> None:
    failed = _failure([_line(external_id="CL0001"), _line(allocations=allocations)])
    assert failed.line == 2
    assert failed.field == field, failed
    assert words in failed.message


async def test_an_unknown_former_adviser_fails_and_writes_nothing(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    with pytest.raises(ImportFailed) as failed:
        await _import(sessionmaker, [_line(external_id="CL0001"), _line(allocations=HISTORY)])
    assert failed.value.line == 2
    assert failed.value.field == "allocations.0.personal_adviser_email"
    async with sessionmaker() as session:
        assert await session.scalar(select(YoungPerson)) is None
