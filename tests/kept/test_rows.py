"""The rows a young person's every request reads (db/kept_rows.py): their session, their own record
and who answers them, kept by a worker while no write has moved their versions. Every test here
changes one of them under a kept row and expects the very next request to act on the change; the
first shows they are kept at all (a send that reads none of them)."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from portal_api.auth import users
from portal_api.common.actor import Actor
from portal_api.db import kept_rows, reads_version
from portal_api.db.changes import MemoryFiguresVersion
from portal_api.db.session import make_sessionmaker, session_scope
from portal_api.models import Availability, Message, User, YoungPerson
from portal_api.models.message import MessageNotice
from portal_api.people import scope
from tests.factories import World, build_world
from tests.kept.conftest import client_of, last_use_written_in_the_last_minute_ahead

API = "/api/v1"
MINE = f"{API}/young-people/me/messages"


@contextmanager
def _tables_read(engine: AsyncEngine) -> Iterator[set[str]]:
    """The tables the SELECTs that ran meanwhile read from."""
    read: set[str] = set()

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            read.update(re.findall(r'(?:FROM|JOIN) "?(\w+)"?', statement))

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        yield read
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)


async def _send(client: httpx.AsyncClient, world: World, body: str = "hello") -> httpx.Response:
    headers = world.auth("young_person") | {"Idempotency-Key": str(uuid.uuid4())}
    return await client.post(MINE, json={"body": body}, headers=headers)


async def _warm(client: httpx.AsyncClient, world: World) -> None:
    """Twice: the first learns whose versions the rows depend on, the second keeps them."""
    for _ in range(2):
        assert (await _send(client, world)).status_code == 201


async def _noticed(app: FastAPI, world: World, who: str) -> bool:
    """Whether ``who`` was told of a message in the young person's conversation."""
    async with app.state.sessionmaker() as session:
        found = await session.scalar(
            select(MessageNotice.user_id).where(
                MessageNotice.young_person_id == world.young_people["own"],
                MessageNotice.user_id == world.users[who],
            )
        )
    return found is not None


async def test_a_send_reads_the_session_record_and_who_answers_once_then_keeps_them(
    phone: httpx.AsyncClient, world_of: World, kept: FastAPI, engine: AsyncEngine
) -> None:
    await _warm(phone, world_of)
    with _tables_read(engine) as read:
        sent = await _send(phone, world_of, "Still on for Tuesday?")
    assert sent.status_code == 201, sent.text
    assert not read & {"access_token", "young_person", "organisation", "user"}, read
    async with kept.state.sessionmaker() as session:
        stored = await session.scalar(
            select(Message.body).where(Message.id == sent.json()["message"]["id"])
        )
    assert stored == "Still on for Tuesday?"
    assert await _noticed(kept, world_of, "pa")


async def test_staff_sessions_are_never_kept(
    phone: httpx.AsyncClient, world_of: World, engine: AsyncEngine
) -> None:
    path = f"{API}/young-people/{world_of.young_people['own']}/messages"
    for _ in range(2):
        assert (await phone.get(path, headers=world_of.auth("pa"))).status_code == 200
    with _tables_read(engine) as read:
        assert (await phone.get(path, headers=world_of.auth("pa"))).status_code == 200
    assert "access_token" in read


@pytest.mark.parametrize("how", ["sign_out", "sign_out_everywhere", "disabled", "bulk_disabled"])
async def test_an_ended_session_is_refused_on_the_very_next_request(
    phone: httpx.AsyncClient, world_of: World, kept: FastAPI, how: str
) -> None:
    headers = world_of.auth("young_person")
    await _warm(phone, world_of)
    if how == "sign_out":
        assert (await phone.post(f"{API}/auth/logout", headers=headers)).status_code == 204
    elif how == "sign_out_everywhere":
        async with kept.state.sessionmaker() as session, session.begin():
            await users.revoke_all_sessions(session, world_of.users["young_person"])
    elif how == "disabled":
        async with kept.state.sessionmaker() as session, session.begin():
            user = await session.get(User, world_of.users["young_person"])
            assert user is not None
            user.is_active = False
    else:  # a bare UPDATE that does not say whose rows: it moves everyone's version
        async with kept.state.sessionmaker() as session, session.begin():
            await session.execute(
                update(User)
                .where(User.id == world_of.users["young_person"])
                .values(is_active=False)
            )
    assert (await _send(phone, world_of, "after the end")).status_code == 401
    async with kept.state.sessionmaker() as session:
        stored = await session.scalar(select(Message.id).where(Message.body == "after the end"))
    assert stored is None


async def test_a_new_pa_is_told_of_the_very_next_message(
    phone: httpx.AsyncClient, world_of: World, kept: FastAPI
) -> None:
    """Their record says who their PA is: a reassignment moves its version."""
    await _warm(phone, world_of)
    async with kept.state.sessionmaker() as session, session.begin():
        person = await session.get(YoungPerson, world_of.young_people["own"])
        assert person is not None
        person.personal_adviser_id = world_of.users["colleague_pa"]
    assert not await _noticed(kept, world_of, "colleague_pa")
    assert (await _send(phone, world_of)).status_code == 201
    assert await _noticed(kept, world_of, "colleague_pa")


async def test_a_pa_away_with_cover_has_the_next_message_go_to_the_cover(
    phone: httpx.AsyncClient, world_of: World, kept: FastAPI
) -> None:
    """Who answers is kept under everyone's version: a PA's absence moves it."""
    await _warm(phone, world_of)
    async with kept.state.sessionmaker() as session, session.begin():
        session.add(
            Availability(
                user_id=world_of.users["pa"],
                away_until=datetime.now(UTC) + timedelta(days=3),
                cover_id=world_of.users["colleague_pa"],
            )
        )
    assert (await _send(phone, world_of)).status_code == 201
    assert await _noticed(kept, world_of, "colleague_pa")


async def test_the_session_is_read_again_when_its_idle_time_touch_is_due(
    phone: httpx.AsyncClient,
    world_of: World,
    kept: FastAPI,
    monkeypatch: pytest.MonkeyPatch,
    engine: AsyncEngine,
) -> None:
    """Kept only until its touch is due: its last use is still written once a minute."""
    await _warm(phone, world_of)
    later = datetime.now(UTC) + timedelta(seconds=61)
    monkeypatch.setattr(users, "utcnow", lambda: later)
    with _tables_read(engine) as read:
        assert (await _send(phone, world_of)).status_code == 201
    assert "access_token" in read
    await last_use_written_in_the_last_minute_ahead(kept, world_of)


async def test_a_request_that_has_written_reads_its_record_afresh(
    phone: httpx.AsyncClient, world_of: World, kept: FastAPI
) -> None:
    """A kept row is served only before the request writes anything: after, it reads back what
    it wrote itself, which no version has moved yet (the commit has not happened)."""
    await _warm(phone, world_of)
    async with kept.state.sessionmaker() as session:
        user = await session.get(User, world_of.users["young_person"])
        assert user is not None
        assert user.young_person_id is not None
        keys = reads_version.record_keys_for(user.id, user.young_person_id)
        assert await kept_rows.read_versions(session, keys) is not None
        await session.execute(
            update(YoungPerson)
            .where(YoungPerson.id == user.young_person_id)
            .values(preferred_name="Written in this request")
        )
        person = await scope.get_young_person(
            session, Actor(user=user, ip=None), "me", audit_action=None
        )
        assert person.preferred_name == "Written in this request"
        await session.rollback()


class _Clock:
    def __init__(self) -> None:
        self.ahead = 0.0

    def monotonic(self) -> float:
        return time.monotonic() + self.ahead


async def test_a_change_whose_bump_was_lost_is_acted_on_within_the_minute(
    phone: httpx.AsyncClient, world_of: World, kept: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write whose version Redis never took (here: one that says it moves none) is read
    within a minute all the same: nothing is kept for longer."""
    clock = _Clock()
    monkeypatch.setattr(kept_rows, "time", clock)
    await _warm(phone, world_of)
    async with kept.state.sessionmaker() as session, session.begin():
        await session.execute(
            update(YoungPerson)
            .where(YoungPerson.id == world_of.young_people["own"])
            .values(personal_adviser_id=world_of.users["colleague_pa"])
            .execution_options(**{reads_version.MOVES: ()})
        )
    assert (await _send(phone, world_of)).status_code == 201
    assert not await _noticed(kept, world_of, "colleague_pa")  # still kept: the version stood
    clock.ahead = kept_rows.HOLD_SECONDS
    assert (await _send(phone, world_of)).status_code == 201
    assert await _noticed(kept, world_of, "colleague_pa")


async def test_a_change_one_request_makes_to_its_kept_object_reaches_no_other(
    kept: FastAPI, world_of: World
) -> None:
    """Each request gets its own object, made from the values read: a change rolled back in one
    is not what the next is given, and two requests never share one."""
    store = kept_rows.KeptRows()
    async with kept.state.sessionmaker() as session, session.begin():
        person = await session.get(YoungPerson, world_of.young_people["own"])
        assert person is not None
        person.notify_by = ["sms"]
    async with kept.state.sessionmaker() as session:
        person = await session.get(YoungPerson, world_of.young_people["own"])
        snapshot = kept_rows.snapshot(person)
    assert snapshot is not None
    async with kept.state.sessionmaker() as first, kept.state.sessionmaker() as second:
        mine = kept_rows.revive(first, snapshot)
        theirs = kept_rows.revive(second, snapshot)
        assert mine is not theirs
        assert mine in first.sync_session
        assert theirs in second.sync_session
        assert not first.sync_session.is_modified(mine)
        mine.preferred_name = "Changed then rolled back"
        mine.notify_by.append("changed in place")  # a JSON list: never shared
        await first.rollback()
        assert theirs.preferred_name is None
        assert theirs.notify_by == ["sms"]
    async with kept.state.sessionmaker() as third:
        again = kept_rows.revive(third, snapshot)
        assert again.preferred_name is None
        assert again.notify_by == ["sms"]
    seen = {"all": "1"}
    store.put("x", ("all",), seen, "value")
    assert store.get("x", seen) == "value"
    assert store.get("x", {"all": "2"}) is None  # moved since: read again
    store.put("y", ("all",), None, "value")
    assert store.get("y", seen) is None  # read before its versions were known: never served


async def test_a_request_that_commits_and_then_fails_still_moves_what_it_committed(
    engine: AsyncEngine, world_of: World
) -> None:
    """``session_scope`` bumps the versions itself, after the commit: a session that committed
    once (as a failed sign-in keeps its audit row) and then raised must still move them."""
    figures, reads = MemoryFiguresVersion(), reads_version.MemoryReadsVersion()
    maker = make_sessionmaker(engine, figures, reads)
    key = [reads_version.record_key(world_of.young_people["own"])]
    before_figures, before_reads = await figures.current(), await reads.current(key)

    async def commit_then_fail() -> None:
        async with session_scope(maker) as session:
            person = await session.get(YoungPerson, world_of.young_people["own"])
            assert person is not None
            person.preferred_name = "Mira"
            await session.commit()
            raise RuntimeError("after the commit")

    with pytest.raises(RuntimeError):
        await commit_then_fail()
    assert await figures.current() != before_figures
    assert await reads.current(key) != before_reads


# --- across workers, through Redis ----------------------------------------------------------------


async def test_through_redis_a_change_on_one_worker_is_acted_on_by_the_other(
    two_workers: tuple[FastAPI, FastAPI],
) -> None:
    first, second = two_workers
    async with first.state.sessionmaker() as session, session.begin():
        world = await build_world(session)
    async with client_of(first) as a, client_of(second) as b:
        await _warm(a, world)
        reassigned = await b.patch(
            f"{API}/young-people/{world.young_people['own']}",
            json={"personal_adviser_id": str(world.users["colleague_pa"])},
            headers=world.auth("team_manager"),
        )
        assert reassigned.status_code == 200, reassigned.text
        assert (await _send(a, world)).status_code == 201
        assert await _noticed(first, world, "colleague_pa")
        await _warm(a, world)
        signed_out = await b.post(f"{API}/auth/logout", headers=world.auth("young_person"))
        assert signed_out.status_code == 204
        assert (await _send(a, world)).status_code == 401


async def test_through_redis_a_write_moves_both_versions_in_one_round_trip(
    two_workers: tuple[FastAPI, FastAPI], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The figures' version and the kept reads' versions a write moves go in one script: the
    kept reads' own bump is never called from a request, and both versions move all the same."""
    first, second = two_workers
    async with first.state.sessionmaker() as session, session.begin():
        world = await build_world(session)
    keys = reads_version.keys_for(world.users["young_person"], world.young_people["own"])

    async def separately(*_: Any) -> None:
        raise AssertionError("bumped in a round trip of its own")

    monkeypatch.setattr(reads_version.RedisReadsVersion, "bump", separately)
    figures_before = await second.state.figures_version.current()
    reads_before = await second.state.reads_version.current(keys)
    async with client_of(first) as a:
        assert (await _send(a, world)).status_code == 201
    assert await second.state.figures_version.current() != figures_before
    reads_after = await second.state.reads_version.current(keys)
    assert reads_before is not None
    assert reads_after is not None
    assert [b == a for b, a in zip(reads_before, reads_after, strict=True)] == [True, False, True]
