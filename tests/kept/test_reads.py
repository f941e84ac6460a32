"""A young person's kept reads (kept_reads.py) are served again only while nothing they show has
changed: every test here writes, revokes or moves the clock under a kept answer and expects the
next read to be true. A read served from what was kept runs no SQL statement, which is how these
tests tell a kept answer from one made afresh."""

from __future__ import annotations

import asyncio
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
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from portal_api import cli, kept_reads
from portal_api.auth import users
from portal_api.config import Settings
from portal_api.db import reads_version
from portal_api.db.reads_version import ALL, RedisReadsVersion, young_person_key
from portal_api.models import (
    AccessToken,
    AuditEvent,
    Availability,
    Organisation,
    PlanAction,
    PlanVersion,
    Role,
    User,
    YoungPerson,
)
from portal_api.summary import service as summary_service
from tests.factories import World, build_world, make_token, make_user
from tests.kept.conftest import client_of, last_use_written_in_the_last_minute_ahead
from tests.support import REDIS_URL, require_redis

API = "/api/v1"
SUMMARY = f"{API}/young-people/me/summary"
KEPT = (
    SUMMARY,
    f"{API}/local-offer",
    f"{API}/young-people/me/documents",
    f"{API}/young-people/me/plan",
)


class _Statements:
    def __init__(self) -> None:
        self.count = 0


@contextmanager
def _statements(engine: AsyncEngine) -> Iterator[_Statements]:
    """How many SQL statements ran meanwhile: none when an answer was served as kept."""
    seen = _Statements()

    def count(*_: Any) -> None:
        seen.count += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


async def _warm(
    client: httpx.AsyncClient, world: World, path: str, who: str = "young_person"
) -> Any:
    """Twice: the first names the token's reader, the second is kept."""
    for _ in range(2):
        response = await client.get(path, headers=world.auth(who))
        assert response.status_code == 200, response.text
    return response.json()


async def _pa_sends(client: httpx.AsyncClient, world: World, body: str) -> None:
    sent = await client.post(
        f"{API}/young-people/{world.young_people['own']}/messages",
        json={"body": body},
        headers=world.auth("pa") | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert sent.status_code == 201, sent.text


@pytest.mark.parametrize("path", KEPT)
async def test_a_young_persons_own_read_is_served_again_without_the_database(
    phone: httpx.AsyncClient, world_of: World, engine: AsyncEngine, path: str
) -> None:
    first = await _warm(phone, world_of, path)
    with _statements(engine) as ran:
        again = await phone.get(path, headers=world_of.auth("young_person"))
    assert again.status_code == 200
    assert again.json() == first
    assert ran.count == 0


async def test_a_kept_answer_has_the_headers_the_route_gave(
    phone: httpx.AsyncClient, world_of: World, engine: AsyncEngine
) -> None:
    headers = world_of.auth("young_person") | {"Accept-Language": "ar"}
    made = await phone.get(f"{API}/local-offer", headers=headers)
    await phone.get(f"{API}/local-offer", headers=headers)
    with _statements(engine) as ran:
        served = await phone.get(f"{API}/local-offer", headers=headers)
    assert ran.count == 0
    assert served.content == made.content
    assert served.headers["content-language"] == made.headers["content-language"] == "ar"
    # The security headers are added once, as on any answer.
    assert served.headers.get_list("x-content-type-options") == ["nosniff"]


async def test_each_language_and_each_token_has_its_own_answer(
    phone: httpx.AsyncClient, world_of: World, kept: FastAPI
) -> None:
    english = world_of.auth("young_person") | {"Accept-Language": "en"}
    arabic = world_of.auth("young_person") | {"Accept-Language": "ar"}
    for _ in range(2):
        en = await phone.get(f"{API}/local-offer", headers=english)
        ar = await phone.get(f"{API}/local-offer", headers=arabic)
    assert (en.headers["content-language"], ar.headers["content-language"]) == ("en", "ar")
    assert en.content != ar.content
    # Someone else's token is never answered from this young person's kept answer.
    async with kept.state.sessionmaker() as session, session.begin():
        person = await session.get(YoungPerson, world_of.young_people["other_org"])
        assert person is not None
        org = await session.get(Organisation, person.org_id)
        assert org is not None
        other = await make_user(session, org, Role.young_person, young_person=person)
        token = await make_token(session, other)
    theirs = await _warm(
        phone, World(org_id=world_of.org_id, tokens={"them": token}), SUMMARY, "them"
    )
    mine = await _warm(phone, world_of, SUMMARY)
    assert theirs["young_person_id"] == str(world_of.young_people["other_org"])
    assert mine["young_person_id"] == str(world_of.young_people["own"])


async def test_their_own_write_is_seen_on_the_next_read(
    phone: httpx.AsyncClient, world_of: World
) -> None:
    documents = f"{API}/young-people/me/documents"
    before = await _warm(phone, world_of, documents)
    said = await phone.patch(
        f"{documents}/photo_id",
        json={"young_person_says": "have_it"},
        headers=world_of.auth("young_person"),
    )
    assert said.status_code == 200, said.text
    after = (await phone.get(documents, headers=world_of.auth("young_person"))).json()
    assert after != before
    assert after == said.json()


async def test_their_pas_message_is_counted_on_the_next_home_screen(
    phone: httpx.AsyncClient, world_of: World
) -> None:
    before = await _warm(phone, world_of, SUMMARY)
    await _pa_sends(phone, world_of, "How did the interview go?")
    after = (await phone.get(SUMMARY, headers=world_of.auth("young_person"))).json()
    assert after["unread_messages"] == before["unread_messages"] + 1


async def test_a_write_to_no_one_young_person_moves_every_kept_answer(
    phone: httpx.AsyncClient, world_of: World, kept: FastAPI
) -> None:
    """The PA's own row (their name on the home screen) belongs to no one young person."""
    before = await _warm(phone, world_of, SUMMARY)
    async with kept.state.sessionmaker() as session, session.begin():
        pa = await session.get(User, world_of.users["pa"])
        assert pa is not None
        pa.display_name = "Priya Patel"
    after = (await phone.get(SUMMARY, headers=world_of.auth("young_person"))).json()
    assert before["personal_adviser"]["name"] == "Priya PA"
    assert after["personal_adviser"]["name"] == "Priya Patel"


async def test_a_write_while_the_route_runs_is_not_kept_over(
    phone: httpx.AsyncClient, world_of: World, kept: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer is kept under the versions read before the route ran: a write that commits
    while it runs leaves the answer, made from before it, unserved."""
    await _warm(phone, world_of, SUMMARY)
    made = summary_service.summary

    async def with_a_write_meanwhile(*args: Any, **kwargs: Any) -> Any:
        answer = await made(*args, **kwargs)
        async with kept.state.sessionmaker() as session, session.begin():
            await session.execute(
                update(YoungPerson)
                .where(YoungPerson.id == world_of.young_people["own"])
                .values(preferred_name="Mira")
            )
        return answer

    # A write to this young person first, so the next read runs the route (with a write inside).
    async with kept.state.sessionmaker() as session, session.begin():
        person = await session.get(YoungPerson, world_of.young_people["own"])
        assert person is not None
        person.preferred_name = "Ami"
    monkeypatch.setattr(summary_service, "summary", with_a_write_meanwhile)
    stale = (await phone.get(SUMMARY, headers=world_of.auth("young_person"))).json()
    monkeypatch.setattr(summary_service, "summary", made)
    assert stale["given_name"] == "Ami"
    fresh = (await phone.get(SUMMARY, headers=world_of.auth("young_person"))).json()
    assert fresh["given_name"] == "Mira"


@pytest.mark.parametrize("how", ["sign_out", "sign_out_everywhere", "disabled"])
async def test_an_ended_session_is_refused_on_the_very_next_read(
    phone: httpx.AsyncClient, world_of: World, kept: FastAPI, how: str
) -> None:
    headers = world_of.auth("young_person")
    for path in KEPT:
        await _warm(phone, world_of, path)
    if how == "sign_out":
        assert (await phone.post(f"{API}/auth/logout", headers=headers)).status_code == 204
    elif how == "sign_out_everywhere":
        async with kept.state.sessionmaker() as session, session.begin():
            await users.revoke_all_sessions(session, world_of.users["young_person"])
    else:
        async with kept.state.sessionmaker() as session, session.begin():
            user = await session.get(User, world_of.users["young_person"])
            assert user is not None
            user.is_active = False
    for path in KEPT:
        assert (await phone.get(path, headers=headers)).status_code == 401, path


async def test_staff_reads_are_never_kept_and_each_leaves_its_audit_event(
    phone: httpx.AsyncClient, world_of: World, kept: FastAPI, engine: AsyncEngine
) -> None:
    path = f"{API}/young-people/{world_of.young_people['own']}/summary"
    for _ in range(2):
        assert (await phone.get(path, headers=world_of.auth("pa"))).status_code == 200
    with _statements(engine) as ran:
        assert (await phone.get(path, headers=world_of.auth("pa"))).status_code == 200
    assert ran.count > 0
    async with kept.state.sessionmaker() as session:
        events = await session.scalars(
            select(AuditEvent).where(
                AuditEvent.young_person_id == world_of.young_people["own"],
                AuditEvent.action == "young_person.summary.read",
            )
        )
        assert len(list(events)) == 3


async def test_a_pas_change_to_a_plan_moves_only_that_young_persons_answers(
    phone: httpx.AsyncClient, world_of: World, kept: FastAPI
) -> None:
    """A plan's actions carry their version, not their young person: the version says whose, so
    a PA at work on one plan leaves every other young person's kept answers kept."""
    store = kept.state.reads_version
    keys = reads_version.keys_for(world_of.users["young_person"], world_of.young_people["own"])
    plan = f"{API}/young-people/{world_of.young_people['own']}/plan"
    overview = await phone.get(plan, headers=world_of.auth("pa"))
    assert overview.status_code == 200, overview.text
    before = await store.current(keys)
    changed = await phone.patch(
        f"{plan}/draft",
        json={
            "actions": [
                {
                    "section_code": "health",
                    "description": "Register with a GP",
                    "owner": "young_person",
                    "due_on": (datetime.now(UTC).date() + timedelta(days=30)).isoformat(),
                }
            ]
        },
        headers=world_of.auth("pa") | {"If-Match": overview.json()["in_progress"]["etag"]},
    )
    assert changed.status_code == 200, changed.text
    after = await store.current(keys)
    assert before is not None
    assert after is not None
    # Everyone's unchanged, hers moved, her sessions' unchanged.
    assert [a == b for a, b in zip(before, after, strict=True)] == [True, False, True]


async def test_a_plan_action_whose_version_the_session_does_not_hold_moves_everyone(
    kept: FastAPI, world_of: World
) -> None:
    store = kept.state.reads_version
    keys = reads_version.keys_for(world_of.users["young_person"], world_of.young_people["own"])
    async with kept.state.sessionmaker() as session:
        version_id = await session.scalar(
            select(PlanVersion.id)
            .where(PlanVersion.young_person_id == world_of.young_people["own"])
            .limit(1)
        )
    assert version_id is not None
    before = await store.current(keys)
    async with kept.state.sessionmaker() as session, session.begin():
        session.add(
            PlanAction(
                version_id=version_id,
                position=9,
                section_code="health",
                description="Book a dentist",
            )
        )
    after = await store.current(keys)
    assert before is not None
    assert after is not None
    assert after[0] != before[0]


class _Clock:
    """``time.time`` for kept_reads, moved on by the test."""

    def __init__(self) -> None:
        self.ahead = 0.0

    def time(self) -> float:
        return time.time() + self.ahead


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    moved = _Clock()
    monkeypatch.setattr(kept_reads, "time", moved)
    return moved


async def test_a_kept_answer_holds_only_until_the_time_its_route_said(
    phone: httpx.AsyncClient, world_of: World, engine: AsyncEngine, clock: _Clock
) -> None:
    await _warm(phone, world_of, SUMMARY)
    clock.ahead = 61  # past the next whole minute: who answers now may have changed
    with _statements(engine) as ran:
        assert (await phone.get(SUMMARY, headers=world_of.auth("young_person"))).status_code == 200
    assert ran.count > 0


async def test_the_session_is_read_again_when_its_idle_time_touch_is_due(
    phone: httpx.AsyncClient,
    world_of: World,
    kept: FastAPI,
    clock: _Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The documents hold until midnight, but the session's last use is still written once a
    minute, as without keeping: the idle timeout sees a young person who reads only kept answers."""
    documents = f"{API}/young-people/me/documents"
    await _warm(phone, world_of, documents)
    async with kept.state.sessionmaker() as session, session.begin():
        await session.execute(
            update(AccessToken)
            .where(AccessToken.user_id == world_of.users["young_person"])
            .values(last_used_at=datetime.now(UTC) - timedelta(minutes=5))
        )
    await _warm(phone, world_of, documents)  # read again: recheck_at is a minute after the touch
    clock.ahead = 61
    later = datetime.now(UTC) + timedelta(seconds=61)
    monkeypatch.setattr(users, "utcnow", lambda: later)
    assert (await phone.get(documents, headers=world_of.auth("young_person"))).status_code == 200
    await last_use_written_in_the_last_minute_ahead(kept, world_of)


def test_the_home_screen_holds_until_the_pa_is_back_or_a_check_in_falls_due() -> None:
    now = datetime(2026, 12, 7, 10, 15, 30, tzinfo=UTC)
    row: dict[str, Any] = dict.fromkeys(summary_service._ROW_LABELS)
    row |= {"unread": 0}
    assert summary_service._holds_until(summary_service._HomeScreenRow(**row), now) == datetime(
        2026, 12, 7, 10, 16, tzinfo=UTC
    )
    back = now + timedelta(seconds=12)
    row |= {"away_until": back}
    assert summary_service._holds_until(summary_service._HomeScreenRow(**row), now) == back
    due = now + timedelta(seconds=5)
    row |= {
        "check_in_every_days": 7,
        "check_in_rhythm_set_at": due - timedelta(days=7),
        "last_check_in": None,
    }
    assert summary_service._holds_until(summary_service._HomeScreenRow(**row), now) == due


async def test_a_shared_phones_kept_answer_still_says_keep_nothing(
    phone: httpx.AsyncClient, world_of: World, kept: FastAPI, engine: AsyncEngine
) -> None:
    async with kept.state.sessionmaker() as session, session.begin():
        await session.execute(
            update(AccessToken)
            .where(AccessToken.user_id == world_of.users["young_person"])
            .values(expires_at=datetime.now(UTC) + timedelta(hours=2))
        )
    await _warm(phone, world_of, SUMMARY)
    with _statements(engine) as ran:
        served = await phone.get(SUMMARY, headers=world_of.auth("young_person"))
    assert ran.count == 0
    assert served.headers["cache-control"] == "no-store"


async def test_writes_that_no_kept_read_shows_move_no_version(
    kept: FastAPI, world_of: World
) -> None:
    store = kept.state.reads_version
    keys = reads_version.keys_for(world_of.users["young_person"], world_of.young_people["own"])
    before = await store.current(keys)
    async with kept.state.sessionmaker() as session, session.begin():
        session.add(
            AuditEvent(
                org_id=world_of.org_id,
                action="test.read",
                young_person_id=world_of.young_people["own"],
            )
        )
        await session.execute(
            update(AccessToken)
            .where(AccessToken.user_id == world_of.users["young_person"])
            .values(last_used_at=datetime.now(UTC))
            .execution_options(**{reads_version.MOVES: ()})
        )
    assert await store.current(keys) == before
    async with kept.state.sessionmaker() as session, session.begin():
        session.add(Availability(user_id=world_of.users["pa"], away_until=datetime.now(UTC)))
    moved = await store.current(keys)
    assert moved is not None
    assert before is not None
    assert [a == b for a, b in zip(before, moved, strict=True)] == [False, True, True]


# --- across workers, through Redis ----------------------------------------------------------------


async def test_through_redis_a_write_on_one_worker_is_seen_on_the_other(
    two_workers: tuple[FastAPI, FastAPI],
) -> None:
    first, second = two_workers
    async with first.state.sessionmaker() as session, session.begin():
        world = await build_world(session)
    async with client_of(first) as a, client_of(second) as b:
        before = await _warm(a, world, SUMMARY)
        await _pa_sends(b, world, "Are you free on Tuesday?")
        after = (await a.get(SUMMARY, headers=world.auth("young_person"))).json()
        assert after["unread_messages"] == before["unread_messages"] + 1
        # Signed out on the second worker: the first refuses the token at once.
        await _warm(a, world, SUMMARY)
        signed_out = await b.post(f"{API}/auth/logout", headers=world.auth("young_person"))
        assert signed_out.status_code == 204
        assert (await a.get(SUMMARY, headers=world.auth("young_person"))).status_code == 401


async def test_through_redis_a_cli_write_moves_every_kept_answer(
    two_workers: tuple[FastAPI, FastAPI], settings: Settings, engine: AsyncEngine
) -> None:
    first, _ = two_workers
    async with first.state.sessionmaker() as session, session.begin():
        world = await build_world(session)
    async with client_of(first) as a:
        await _warm(a, world, SUMMARY)

        async def rename(session: AsyncSession) -> None:
            await session.execute(
                update(YoungPerson)
                .where(YoungPerson.id == world.young_people["own"])
                .values(preferred_name="Mira")
            )

        await cli._in_transaction(settings.model_copy(update={"redis_url": REDIS_URL}), rename)
        after = (await a.get(SUMMARY, headers=world.auth("young_person"))).json()
    assert after["given_name"] == "Mira"


async def test_a_version_redis_does_not_hold_keeps_nothing_until_it_has_one() -> None:
    await require_redis()
    store = RedisReadsVersion(REDIS_URL)
    key = young_person_key(uuid.uuid4())
    try:
        assert await store.current((ALL, key)) is None
        held = await store.current((ALL, key))
        assert held is not None
        await store.bump(frozenset({key}))
        moved = await store.current((ALL, key))
        assert moved is not None
        assert (moved[0], moved[1] != held[1]) == (held[0], True)
    finally:
        await store._redis.delete(reads_version.REDIS_PREFIX + key)
        await store.close()


async def test_a_session_committed_outside_a_request_bumps_redis_too(
    two_workers: tuple[FastAPI, FastAPI],
) -> None:
    """The notification worker commits in sessions of its own, with no request to await the bump."""
    first, _ = two_workers
    maker: async_sessionmaker[AsyncSession] = first.state.sessionmaker
    async with maker() as session, session.begin():
        world = await build_world(session)
    keys = reads_version.keys_for(world.users["young_person"], world.young_people["own"])
    await first.state.reads_version.current(keys)  # first use: each version is given a token
    before = await first.state.reads_version.current(keys)
    async with maker() as session, session.begin():
        person = await session.get(YoungPerson, world.young_people["own"])
        assert person is not None
        person.preferred_name = "Mira"
    await asyncio.sleep(0.2)  # its bump runs on its own
    after = await first.state.reads_version.current(keys)
    assert after is not None
    assert before is not None
    assert after[1] != before[1]
