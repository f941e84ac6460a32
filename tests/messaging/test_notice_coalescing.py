"""One "new message" notice per conversation and recipient until it is read or a quiet interval
passes (notifications/coalesce.py): forty messages are one email, five replies one SMS, "need
help now" is never held back, and two sends at once make exactly one notice."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import event, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from portal_api.models import Message, MessageNotice, NotificationOutbox, YoungPerson
from portal_api.notifications import coalesce
from tests.factories import World

API = "/api/v1"
QUIET = timedelta(minutes=15)  # Settings.message_notice_quiet_minutes, the default
START = datetime(2026, 11, 11, 10, 0, tzinfo=UTC)


class Clock:
    """ "now" for the notice rule only: the messages themselves keep their real times."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = START
        monkeypatch.setattr(coalesce, "utcnow", lambda: self.now)

    def advance(self, by: timedelta) -> None:
        self.now += by


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


async def _send(client: httpx.AsyncClient, world: World, who: str, body: str = "hi") -> Any:
    target = "me" if who == "young_person" else world.young_people["own"]
    response = await client.post(
        f"{API}/young-people/{target}/messages",
        json={"body": body},
        headers=world.auth(who) | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text
    return response.json()["message"]


async def _notices(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: uuid.UUID
) -> list[tuple[str, str]]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(NotificationOutbox.channel, NotificationOutbox.template)
            .where(NotificationOutbox.user_id == user_id)
            .order_by(NotificationOutbox.created_at, NotificationOutbox.channel)
        )
        return [(channel, template) for channel, template in rows.all()]


async def _read(client: httpx.AsyncClient, world: World, who: str, up_to: int) -> None:
    target = "me" if who == "young_person" else world.young_people["own"]
    response = await client.post(
        f"{API}/young-people/{target}/messages/read", json={"up_to": up_to}, headers=world.auth(who)
    )
    assert response.status_code == 200, response.text


EMAIL = ("email", "new_message_for_staff")


async def test_forty_messages_in_a_minute_are_one_email_to_the_pa(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    for n in range(40):
        await _send(client, world, "young_person", f"message {n}")
        clock.advance(timedelta(seconds=1.5))

    assert await _notices(sessionmaker, world.users["pa"]) == [EMAIL]
    async with sessionmaker() as session:
        stored = await session.scalar(
            select(func.count()).where(
                Message.young_person_id == world.young_people["own"],
                Message.body.startswith("message "),
            )
        )
    assert stored == 40  # every message is kept: only the notices are coalesced


async def test_once_the_pa_has_read_the_next_message_notifies_again(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    first = await _send(client, world, "young_person")
    second = await _send(client, world, "young_person")
    assert await _notices(sessionmaker, world.users["pa"]) == [EMAIL]

    # Reading up to a message before the noticed one is not reading it.
    await _read(client, world, "pa", first["id"] - 1)
    await _send(client, world, "young_person")
    assert await _notices(sessionmaker, world.users["pa"]) == [EMAIL]

    await _read(client, world, "pa", second["id"] + 1)
    clock.advance(timedelta(seconds=5))
    await _send(client, world, "young_person")
    assert await _notices(sessionmaker, world.users["pa"]) == [EMAIL, EMAIL]


async def test_after_the_quiet_interval_unread_the_next_message_notifies_again(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    await _send(client, world, "young_person")
    clock.advance(QUIET - timedelta(seconds=1))
    await _send(client, world, "young_person")
    assert await _notices(sessionmaker, world.users["pa"]) == [EMAIL]

    clock.advance(timedelta(seconds=1))
    await _send(client, world, "young_person")
    assert await _notices(sessionmaker, world.users["pa"]) == [EMAIL, EMAIL]

    # The interval runs from the last notice, not from the first message.
    clock.advance(QUIET - timedelta(seconds=1))
    await _send(client, world, "young_person")
    assert await _notices(sessionmaker, world.users["pa"]) == [EMAIL, EMAIL]


async def test_need_help_now_is_never_held_back(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    await _send(client, world, "young_person")
    for _ in range(2):
        response = await client.post(
            f"{API}/young-people/me/check-ins",
            json={"mood": "need_help_now"},
            headers=world.auth("young_person") | {"Idempotency-Key": str(uuid.uuid4())},
        )
        assert response.status_code == 201, response.text

    notices = await _notices(sessionmaker, world.users["pa"])
    assert notices.count(EMAIL) == 1
    assert [n for n in notices if n[1] == "need_help_now"] == [
        ("email", "need_help_now"),
        ("email", "need_help_now"),
    ]
    # A plain message right after an alert waits under it: the PA has just been told.
    await _send(client, world, "young_person")
    assert await _notices(sessionmaker, world.users["pa"]) == notices


async def test_a_pas_five_quick_replies_are_one_sms_to_the_young_person(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(YoungPerson)
            .where(YoungPerson.id == world.young_people["own"])
            .values(mobile="07700 900123")
        )
    for n in range(5):
        await _send(client, world, "pa", f"reply {n}")
        clock.advance(timedelta(seconds=10))

    assert await _notices(sessionmaker, world.users["young_person"]) == [
        ("sms", "new_message_for_young_person")
    ]


async def _claim_for_the_pa(
    session: AsyncSession, world: World, message_id: int, *, urgent: bool = False
) -> bool:
    return await coalesce.claim_notice(
        session,
        young_person_id=world.young_people["own"],
        user_id=world.users["pa"],
        message_id=message_id,
        quiet=QUIET,
        urgent=urgent,
    )


async def test_sends_at_once_make_exactly_one_notice(
    world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Each claim in its own transaction, all started together: whichever commits first
    notifies, every other one sees its notice (on PostgreSQL it waits for that row lock)."""

    async def claim(message_id: int) -> bool:
        async with sessionmaker() as session, session.begin():
            return await _claim_for_the_pa(session, world, message_id)

    for round_ in range(3):
        # Round 0 races on an empty row (INSERT vs INSERT); the later rounds race on a row that
        # is due again (an UPDATE whose WHERE must be re-checked after the other commits).
        results = await asyncio.gather(*(claim(100 * round_ + n + 1) for n in range(8)))
        assert sorted(results) == [False] * 7 + [True], round_
        async with sessionmaker() as session, session.begin():
            await session.execute(
                update(MessageNotice).values(
                    noticed_at=datetime.now(UTC) - QUIET - timedelta(seconds=1)
                )
            )


async def test_a_send_with_no_notice_due_writes_nothing_to_the_notice_row(
    world: World, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """The upsert locks the row even when its WHERE says no; a send that finds no notice due
    must not run it (coalesce.py: otherwise each send in a busy conversation waits for the last)."""
    async with sessionmaker() as session, session.begin():
        assert await _claim_for_the_pa(session, world, 1)
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        async with sessionmaker() as session, session.begin():
            assert not await _claim_for_the_pa(session, world, 2)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    touching = [s for s in statements if "message_notice" in s]
    assert touching, statements  # it did ask
    assert not [s for s in touching if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]


async def test_a_send_with_no_notice_due_does_not_wait_for_a_send_holding_the_row(
    world: World, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """On PostgreSQL: while another send's notice is claimed but not yet committed (it holds the
    row's lock), a send with nothing due answers at once; before, it waited for that commit."""
    if engine.dialect.name != "postgresql":
        pytest.skip(
            "row locks are PostgreSQL's (SQLite has one writer at a time); run with "
            "PORTAL_TEST_DATABASE_URL=postgresql+asyncpg://... (CI does)"
        )
    async with sessionmaker() as session, session.begin():
        assert await _claim_for_the_pa(session, world, 1)
    async with sessionmaker() as holding, holding.begin():
        assert await _claim_for_the_pa(holding, world, 2, urgent=True)  # locked, uncommitted
        async with sessionmaker() as session, session.begin():
            await session.execute(text("SET LOCAL lock_timeout = '2s'"))
            assert not await _claim_for_the_pa(session, world, 3)
        await holding.rollback()
