"""Sign-in throttling: failures slow down per account and per address, the same for emails
nobody uses, never for good, and across workers when they share Redis."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import httpx
import pytest
import redis.asyncio as redis
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from portal_api.auth.throttle import (
    Limit,
    MemoryThrottleStore,
    RedisThrottleStore,
    account_key,
    address_key,
    make_throttles,
)
from portal_api.config import Settings
from portal_api.db.session import make_sessionmaker
from portal_api.main import create_app
from tests.auth.conftest import FakeClock
from tests.auth.support import client_at, login, without_instance
from tests.factories import PASSWORD, World
from tests.support import REDIS_URL, require_redis

WRONG = "not the password at all"
LIMIT = Limit(failures=5, window_seconds=900, first_delay_seconds=30, max_delay_seconds=900)


def _address() -> str:
    """A documentation address (RFC 5737) of its own for each test."""
    return f"198.51.100.{secrets.randbelow(250) + 1}"


async def _fail(client: httpx.AsyncClient, email: str, times: int) -> None:
    for _ in range(times):
        response = await login(client, email, WRONG)
        assert response.status_code == 401, response.text


# --- the rule -------------------------------------------------------------------------------


def test_the_wait_starts_at_the_limit_doubles_and_is_capped() -> None:
    assert [LIMIT.delay_after(n) for n in range(1, 12)] == [
        0,
        0,
        0,
        0,
        30,
        60,
        120,
        240,
        480,
        900,
        900,
    ]
    assert LIMIT.delay_after(10_000) == 900


async def test_a_wait_ends_by_itself_and_the_count_forgets_after_the_window() -> None:
    clock = FakeClock()
    store = MemoryThrottleStore(clock)
    for _ in range(5):
        await store.failed("k", LIMIT)
    assert await store.waiting(["k"]) == 30

    clock.advance(31)
    assert await store.waiting(["k"]) == 0
    assert await store.failed("k", LIMIT) == 6  # still in the window: the next wait is longer
    assert await store.waiting(["k"]) == 60

    clock.advance(60 + 898)
    assert await store.failed("k", LIMIT) == 7  # a window after the wait is not yet quiet
    clock.advance(120 + 901)
    assert await store.waiting(["k"]) == 0
    assert await store.failed("k", LIMIT) == 1  # a quiet window: counting starts again
    assert await store.waiting(["k"]) == 0


def test_accounts_are_case_folded_and_not_stored_as_emails() -> None:
    key = account_key("login", "Priya.PA@Example.org ")

    assert key == account_key("login", "priya.pa@example.org")
    assert "example" not in key


def test_an_ipv6_address_counts_as_its_slash_64() -> None:
    assert address_key("login", "2001:db8:1:2::1") == address_key("login", "2001:db8:1:2:ffff::9")
    assert address_key("login", "2001:db8:1:2::1") != address_key("login", "2001:db8:1:3::1")
    assert address_key("login", "192.0.2.1") != address_key("login", "192.0.2.2")
    assert address_key("login", None) is None


# --- per account ----------------------------------------------------------------------------


async def test_after_five_failures_an_account_waits_even_with_the_right_password(
    app: FastAPI, world: World
) -> None:
    async with client_at(app, _address()) as client:
        await _fail(client, world.emails["pa"], 5)

        throttled = await login(client, world.emails["pa"], PASSWORD)

    assert throttled.status_code == 429
    assert throttled.headers["content-type"] == "application/problem+json"
    assert throttled.json()["status"] == 429
    assert throttled.headers["Retry-After"] == "30"


async def test_the_account_waits_whichever_address_the_next_try_comes_from(
    app: FastAPI, world: World
) -> None:
    async with client_at(app, "198.51.100.1") as first:
        await _fail(first, world.emails["pa"], 5)
    async with client_at(app, "203.0.113.7") as second:
        throttled = await login(second, world.emails["pa"].upper(), PASSWORD)

    assert throttled.status_code == 429


async def test_once_the_wait_is_over_the_right_password_signs_in(
    app: FastAPI, world: World, clock: FakeClock
) -> None:
    async with client_at(app, _address()) as client:
        await _fail(client, world.emails["pa"], 5)
        clock.advance(31)

        response = await login(client, world.emails["pa"], PASSWORD)

    assert response.status_code == 200, response.text


async def test_a_successful_sign_in_clears_the_accounts_failures(
    app: FastAPI, world: World
) -> None:
    async with client_at(app, _address()) as client:
        await _fail(client, world.emails["pa"], 4)
        assert (await login(client, world.emails["pa"], PASSWORD)).status_code == 200
        await _fail(client, world.emails["pa"], 4)

        response = await login(client, world.emails["pa"], PASSWORD)

    assert response.status_code == 200, response.text


async def test_successful_sign_ins_are_never_throttled(app: FastAPI, world: World) -> None:
    async with client_at(app, _address()) as client:
        for _ in range(40):
            response = await login(client, world.emails["young_person"], PASSWORD)
            assert response.status_code == 200, response.text


async def test_an_email_nobody_uses_is_throttled_exactly_like_a_real_one(
    app: FastAPI, world: World
) -> None:
    async with client_at(app, "198.51.100.10") as client:
        await _fail(client, world.emails["pa"], 5)
        known = await login(client, world.emails["pa"], WRONG)
    async with client_at(app, "198.51.100.11") as client:
        await _fail(client, "nobody-here@example.org", 5)
        unknown = await login(client, "nobody-here@example.org", WRONG)

    assert known.status_code == unknown.status_code == 429
    assert known.headers["Retry-After"] == unknown.headers["Retry-After"]
    assert without_instance(known.json()) == without_instance(unknown.json())


async def test_the_wait_never_passes_fifteen_minutes(
    app: FastAPI, world: World, clock: FakeClock
) -> None:
    waits = []
    async with client_at(app, _address()) as client:
        for _ in range(12):
            await _fail(client, world.emails["pa"], 1)
            throttled = await login(client, world.emails["pa"], WRONG)
            if throttled.status_code == 429:
                wait = int(throttled.headers["Retry-After"])
                waits.append(wait)
                clock.advance(wait + 1)

    assert waits, "the throttle never started"
    assert max(waits) <= 900
    assert waits == sorted(waits)  # exponential-ish, then flat at the cap


# --- per address ----------------------------------------------------------------------------


async def test_an_address_failing_at_many_accounts_waits_too(app: FastAPI, world: World) -> None:
    address = _address()
    async with client_at(app, address) as client:
        for n in range(30):
            await _fail(client, f"guess-{n}@example.org", 1)

        throttled = await login(client, world.emails["pa"], PASSWORD)
    async with client_at(app, "203.0.113.99") as elsewhere:
        fine = await login(elsewhere, world.emails["pa"], PASSWORD)

    assert throttled.status_code == 429
    assert fine.status_code == 200, fine.text


async def test_a_success_does_not_clear_the_addresses_failures(app: FastAPI, world: World) -> None:
    address = _address()
    async with client_at(app, address) as client:
        for n in range(29):
            await _fail(client, f"guess-{n}@example.org", 1)
        assert (await login(client, world.emails["pa"], PASSWORD)).status_code == 200
        await _fail(client, "guess-last@example.org", 1)

        throttled = await login(client, world.emails["colleague_pa"], PASSWORD)

    assert throttled.status_code == 429


# --- across workers, through Redis ----------------------------------------------------------


@pytest.fixture
async def two_workers(
    settings: Settings, engine: AsyncEngine
) -> AsyncIterator[tuple[FastAPI, FastAPI]]:
    """Two API workers on the test database whose sign-in throttles share Redis."""
    await require_redis()
    apps = []
    for _ in range(2):
        worker = create_app(settings.model_copy(update={"redis_url": REDIS_URL}))
        worker.state.engine = engine
        worker.state.sessionmaker = make_sessionmaker(engine)
        apps.append(worker)
    yield apps[0], apps[1]
    for worker in apps:
        await worker.state.broker.close()
        await worker.state.throttles.close()


async def _forget_in_redis(email: str, address: str) -> None:
    client = redis.from_url(REDIS_URL)
    try:
        keys = [account_key("login", email), address_key("login", address)]
        for key in keys:
            await client.delete(f"portal:throttle:{key}:n", f"portal:throttle:{key}:wait")
    finally:
        await client.aclose()


async def test_through_redis_failures_on_one_worker_make_the_account_wait_on_another(
    two_workers: tuple[FastAPI, FastAPI], world: World
) -> None:
    first, second = two_workers
    stores = {type(w.state.throttles.store).__name__ for w in two_workers}
    assert stores == {"RedisThrottleStore"}
    address = _address()
    try:
        async with client_at(first, address) as client:
            await _fail(client, world.emails["pa"], 5)
        async with client_at(second, "203.0.113.50") as client:
            throttled = await login(client, world.emails["pa"], PASSWORD)
            assert throttled.status_code == 429
            assert 0 < int(throttled.headers["Retry-After"]) <= 30
            assert throttled.headers["content-type"] == "application/problem+json"
            # ... and an account nobody failed at is not held up on either worker.
            fine = await login(client, world.emails["colleague_pa"], PASSWORD)
            assert fine.status_code == 200, fine.text
    finally:
        await _forget_in_redis(world.emails["pa"], address)
        await _forget_in_redis(world.emails["colleague_pa"], "203.0.113.50")


async def test_through_redis_a_success_on_one_worker_clears_the_count_on_the_other(
    two_workers: tuple[FastAPI, FastAPI], world: World
) -> None:
    first, second = two_workers
    address = _address()
    try:
        async with client_at(first, address) as client:
            await _fail(client, world.emails["pa"], 4)
        async with client_at(second, address) as client:
            assert (await login(client, world.emails["pa"], PASSWORD)).status_code == 200
        async with client_at(first, address) as client:
            await _fail(client, world.emails["pa"], 4)
            response = await login(client, world.emails["pa"], PASSWORD)
        assert response.status_code == 200, response.text
    finally:
        await _forget_in_redis(world.emails["pa"], address)


async def test_the_store_is_in_memory_without_redis_and_in_redis_with_it(
    settings: Settings,
) -> None:
    alone = make_throttles(settings.model_copy(update={"redis_url": None}))
    shared = make_throttles(settings.model_copy(update={"redis_url": REDIS_URL}))
    try:
        assert isinstance(alone.store, MemoryThrottleStore)
        assert isinstance(shared.store, RedisThrottleStore)
    finally:
        await alone.close()
        await shared.close()
