"""The per-sender send limit (auth/send_limit.py): past it a sender is answered 429 problem+json
with Retry-After until the window ends; a retry of a message already stored is never counted or
refused; "need help now" always gets through; a person chatting at a human pace never meets it;
and workers that share Redis share the count."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from portal_api.auth.send_limit import SendLimit
from portal_api.auth.throttle import MemoryThrottleStore, Quota, RedisThrottleStore
from portal_api.config import Settings
from portal_api.db.session import make_sessionmaker
from portal_api.main import create_app
from tests.auth.conftest import FakeClock
from tests.factories import World
from tests.support import REDIS_URL, require_redis

API = "/api/v1"
MINE = f"{API}/young-people/me/messages"

UseLimit = Callable[[int, int], SendLimit]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def use_limit(app: FastAPI, clock: FakeClock) -> Iterator[UseLimit]:
    """The app's send limit for this test only: in memory, on the test's clock."""
    previous = app.state.send_limit

    def use(per_minute: int, per_hour: int) -> SendLimit:
        app.state.send_limit = SendLimit(MemoryThrottleStore(clock), per_minute, per_hour)
        return app.state.send_limit  # type: ignore[no-any-return]

    yield use
    app.state.send_limit = previous


async def _send(
    client: httpx.AsyncClient, world: World, key: str | None = None, body: str = "hello"
) -> httpx.Response:
    return await client.post(
        MINE,
        json={"body": body},
        headers=world.auth("young_person") | {"Idempotency-Key": key or str(uuid.uuid4())},
    )


def _refused(response: httpx.Response) -> int:
    """The 429's Retry-After, after checking it is the documented problem."""
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    assert problem["status"] == 429
    assert problem["code"] == "rate_limited"
    return int(response.headers["Retry-After"])


async def test_a_loop_is_refused_with_retry_after_until_the_minute_ends(
    client: httpx.AsyncClient, world: World, use_limit: UseLimit, clock: FakeClock
) -> None:
    use_limit(30, 300)
    for n in range(30):
        response = await _send(client, world, body=f"loop {n}")
        assert response.status_code == 201, (n, response.text)

    assert _refused(await _send(client, world)) == 60
    clock.advance(45)
    assert _refused(await _send(client, world)) == 15  # refusals are not counted: no longer

    clock.advance(15)
    assert (await _send(client, world)).status_code == 201


async def test_the_hour_limit_holds_across_minutes(
    client: httpx.AsyncClient, world: World, use_limit: UseLimit, clock: FakeClock
) -> None:
    use_limit(3, 5)
    for _ in range(3):
        assert (await _send(client, world)).status_code == 201
    _refused(await _send(client, world))
    clock.advance(60)
    for _ in range(2):
        assert (await _send(client, world)).status_code == 201

    assert _refused(await _send(client, world)) == 3600 - 60


async def test_a_retry_of_a_stored_message_is_never_counted_or_refused(
    client: httpx.AsyncClient, world: World, use_limit: UseLimit
) -> None:
    use_limit(3, 300)
    first_key = str(uuid.uuid4())
    assert (await _send(client, world, first_key)).status_code == 201
    for _ in range(10):  # the phone's outbox retrying after a lost answer
        replay = await _send(client, world, first_key)
        assert replay.status_code == 201, replay.text
        assert replay.headers["Idempotent-Replayed"] == "true"
    assert (await _send(client, world)).status_code == 201
    assert (await _send(client, world)).status_code == 201  # the third send: 10 retries counted 0
    _refused(await _send(client, world))

    replay = await _send(client, world, first_key)  # while the sender waits
    assert replay.status_code == 201
    assert replay.headers["Idempotent-Replayed"] == "true"


async def test_a_refused_send_keeps_nothing_and_its_key_sends_once_the_wait_ends(
    client: httpx.AsyncClient, world: World, use_limit: UseLimit, clock: FakeClock
) -> None:
    # A send stores its message before it is counted (no lookup first): a refusal must take the
    # message back with the request's transaction, and its key must still be free afterwards.
    use_limit(1, 300)
    assert (await _send(client, world, body="first")).status_code == 201
    key = str(uuid.uuid4())
    _refused(await _send(client, world, key, body="refused"))
    page = await client.get(MINE, headers=world.auth("young_person"))
    assert [m["body"] for m in page.json()["items"]][:1] == ["first"]
    assert "refused" not in [m["body"] for m in page.json()["items"]]

    clock.advance(60)
    later = await _send(client, world, key, body="refused")
    assert later.status_code == 201, later.text
    assert "Idempotent-Replayed" not in later.headers  # stored now, for the first time
    page = await client.get(MINE, headers=world.auth("young_person"))
    assert [m["body"] for m in page.json()["items"]][:2] == ["refused", "first"]


async def test_need_help_now_gets_through_while_other_writes_wait(
    client: httpx.AsyncClient, world: World, use_limit: UseLimit
) -> None:
    use_limit(2, 300)
    for _ in range(2):
        assert (await _send(client, world)).status_code == 201

    def check_in(mood: str) -> Any:
        return client.post(
            f"{API}/young-people/me/check-ins",
            json={"mood": mood},
            headers=world.auth("young_person") | {"Idempotency-Key": str(uuid.uuid4())},
        )

    _refused(await check_in("good"))
    _refused(
        await client.post(
            f"{API}/young-people/me/accommodation/satisfaction",
            json={"rating": 1},
            headers=world.auth("young_person"),
        )
    )
    help_now = await check_in("need_help_now")
    assert help_now.status_code == 201, help_now.text


async def test_each_sender_has_their_own_count(
    client: httpx.AsyncClient, world: World, use_limit: UseLimit
) -> None:
    use_limit(1, 300)
    assert (await _send(client, world)).status_code == 201
    _refused(await _send(client, world))

    reply = await client.post(
        f"{API}/young-people/{world.young_people['own']}/messages",
        json={"body": "I'm here"},
        headers=world.auth("pa") | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert reply.status_code == 201, reply.text


async def test_chatting_at_a_human_pace_never_meets_the_limit(clock: FakeClock) -> None:
    """Fixed windows: a message every ten seconds for two hours (720) is never refused; a
    sliding count ("each within a minute of the one before") would have refused the 30th."""
    limit = SendLimit(MemoryThrottleStore(clock), 30, 1000)
    for _ in range(720):
        await limit.spend(uuid.UUID(int=1))
        clock.advance(10)


# --- across workers, through Redis ----------------------------------------------------------------


async def _spends(store: Any) -> list[float]:
    """The same attempts on either store: three sends against 3 a minute and 5 an hour, a
    fourth refused, a "need help now" counted all the same, then a fifth refused by the hour."""
    quotas = [
        ("m", Quota(allowed=3, window_seconds=60)),
        ("h", Quota(allowed=5, window_seconds=3600)),
    ]
    waits = [await store.spend(quotas, refuse=True) for _ in range(4)]
    waits.append(await store.spend(quotas, refuse=False))
    waits.append(await store.spend([quotas[1]], refuse=True))
    return waits


async def test_in_redis_a_quota_window_is_fixed_and_the_wait_ends_with_it(clock: FakeClock) -> None:
    """One script does what the in-process store does: the third attempt starts the minute's
    wait, a refused attempt counts nothing (the hour's fourth is the "need help now"), and the
    wait is the window's rest, never longer."""
    await require_redis()
    store = RedisThrottleStore(REDIS_URL, prefix=f"portal:test:{secrets.token_hex(6)}:")
    try:
        in_redis = await _spends(store)
    finally:
        await store.close()
    in_memory = await _spends(MemoryThrottleStore(clock))
    assert in_memory == [0, 0, 0, 60, 0, 0]  # the "need help now" was the hour's 4th, not 5th
    assert in_redis[:3] == [0, 0, 0]
    assert in_redis[4:] == [0, 0]
    assert 58 < in_redis[3] <= 60


@pytest.fixture
async def two_workers(
    settings: Settings, engine: AsyncEngine
) -> AsyncIterator[tuple[FastAPI, FastAPI]]:
    """Two API workers on the test database that share their send counts through Redis."""
    await require_redis()
    prefix = f"portal:test:{secrets.token_hex(6)}:"
    apps = []
    for _ in range(2):
        app = create_app(settings.model_copy(update={"redis_url": REDIS_URL}))
        app.state.engine = engine
        app.state.sessionmaker = make_sessionmaker(engine)
        app.state.send_limit = SendLimit(RedisThrottleStore(REDIS_URL, prefix=prefix), 3, 300)
        apps.append(app)
    yield apps[0], apps[1]
    for app in apps:
        await app.state.send_limit.store.close()
        await app.state.throttles.close()
        await app.state.broker.close()


async def test_through_redis_workers_share_one_count(
    two_workers: tuple[FastAPI, FastAPI], world: World
) -> None:
    clients = [
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://portal.test")
        for app in two_workers
    ]
    first, second = clients
    try:
        assert (await _send(first, world)).status_code == 201
        assert (await _send(second, world)).status_code == 201
        assert (await _send(first, world)).status_code == 201
        assert 0 < _refused(await _send(second, world)) <= 60
        assert 0 < _refused(await _send(first, world)) <= 60
    finally:
        for client in clients:
            await client.aclose()
