"""A send's statements are built once per process and served by SQLAlchemy's compiled cache as
they are: every value a bound parameter, nothing "post-compile" re-rendered per execution
(bench/README.md, "Sends"). What each answers is the business of the other messaging tests; here,
that nothing of one send stays in a statement the next send runs."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.dialects import registry
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.messaging.reach import _org_and_answers_select
from portal_api.messaging.service import _account_select, _by_key_select, _insert_returning
from portal_api.models import Message, MessageNotice
from portal_api.notifications.coalesce import _claim, _due
from portal_api.people.scope import _own_record_select
from tests.factories import World, other_council_young_person_token

API = "/api/v1"

DIALECTS = {"postgresql": "postgresql.asyncpg", "sqlite": "sqlite.aiosqlite"}


def _statements(dialect: str) -> list[object]:
    return [
        _insert_returning(dialect),
        _claim(dialect, always=False),
        _claim(dialect, always=True),
        _due(),
        _org_and_answers_select(),
        _by_key_select(),
        _account_select(),
        _own_record_select(),
    ]


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_a_sends_statements_have_nothing_rendered_per_execution(dialect: str) -> None:
    for statement in _statements(dialect):
        compiled = statement.compile(dialect=registry.load(DIALECTS[dialect])())  # type: ignore[attr-defined]
        assert not compiled.literal_execute_params, compiled.string
        assert not compiled.post_compile_params, compiled.string
        assert "POSTCOMPILE" not in compiled.string


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_they_are_built_once(dialect: str) -> None:
    assert all(a is b for a, b in zip(_statements(dialect), _statements(dialect), strict=True))


async def test_two_young_people_in_two_councils_sending_in_turn_each_store_their_own(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """The once-built record lookup, who-answers query, insert and notice upsert take every value
    from the send that runs them: alternating senders, councils, PAs and keys, nothing of one
    send leaks into the next, and each PA gets the notice of their own young person's message."""
    async with sessionmaker() as session:
        other_token = await other_council_young_person_token(session, world)
        await session.commit()
    senders = [
        (world.tokens["young_person"], world.young_people["own"], world.users["pa"]),
        (other_token, world.young_people["other_org"], world.users["other_pa"]),
    ]
    sent: list[tuple[str, uuid.UUID, str]] = []
    for n in range(4):
        token, person_id, _ = senders[n % 2]
        key = str(uuid.uuid4())
        response = await client.post(
            f"{API}/young-people/me/messages",
            json={"body": f"message {n}"},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
        )
        assert response.status_code == 201, response.text
        assert response.json()["message"]["young_person_id"] == str(person_id)
        assert response.json()["message"]["from_me"] is True
        sent.append((key, person_id, f"message {n}"))

    async with sessionmaker() as session:
        for key, person_id, body in sent:
            stored = (
                await session.execute(select(Message).where(Message.idempotency_key == key))
            ).scalar_one()
            assert (stored.young_person_id, stored.body) == (person_id, body)
        rows = await session.execute(select(MessageNotice.young_person_id, MessageNotice.user_id))
        notices = {(person_id, user_id) for person_id, user_id in rows}
    assert {(person_id, pa) for _, person_id, pa in senders} <= notices


async def test_a_send_through_the_core_insert_still_moves_the_figures_version(
    client: httpx.AsyncClient, world: World, app: FastAPI
) -> None:
    """The message is inserted as a Core statement, not an ORM object: the figures cache must
    still hear of it (db/changes.py), or a figure that reads messages would go stale."""
    before = await app.state.figures_version.current()
    response = await client.post(
        f"{API}/young-people/me/messages",
        json={"body": "hello"},
        headers=world.auth("young_person") | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text
    assert await app.state.figures_version.current() not in (None, before)
