"""Live events over GET /api/v1/events (server-sent events): new messages and read receipts reach
whoever may see the conversation and nobody else, only once committed; through Redis, an event
from one API worker reaches a stream held open by another. Streams end by themselves in tests
(``events_stream_seconds`` is short), so each one is read to its end in a task."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest
import redis.asyncio as redis
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from portal_api.common.time import today
from portal_api.config import Settings
from portal_api.db.session import make_sessionmaker
from portal_api.main import create_app
from portal_api.messaging import hours
from portal_api.models import User
from tests.factories import World
from tests.support import REDIS_URL, require_redis

API = "/api/v1"


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _holidays_loaded() -> None:
    """The first bank-holiday lookup in a process loads the holidays package (most of a second),
    longer than a test's event stream stays open: load it before any stream opens."""
    this_year = today().year
    for year in (this_year, this_year + 1):
        hours.is_working_day(date(year, 1, 2))


def _events(stream: str) -> list[tuple[str, dict[str, Any]]]:
    """(event type, data) for each event in a server-sent event stream (comments skipped)."""
    found = []
    for block in stream.split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in block.splitlines() if line and not line.startswith(":")
        )
        if "event" in fields:
            found.append((fields["event"], json.loads(fields["data"])))
    return found


async def _local_subscribed(app: FastAPI, org_id: uuid.UUID) -> None:
    """Wait until an event stream of this organisation listens on the in-process broker."""
    for _ in range(100):
        if app.state.broker._subscribers.get(org_id):
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the event stream never subscribed")


def _open_stream(client: httpx.AsyncClient, world: World, who: str) -> asyncio.Task[httpx.Response]:
    return asyncio.create_task(client.get(f"{API}/events", headers=world.auth(who)))


async def _send(
    client: httpx.AsyncClient, world: World, body: str, *, key: str | None = None
) -> httpx.Response:
    return await client.post(
        f"{API}/young-people/me/messages",
        json={"body": body},
        headers=world.auth("young_person") | {"Idempotency-Key": key or str(uuid.uuid4())},
    )


# --- in one process ----------------------------------------------------------------------------


async def test_the_stream_is_server_sent_events_that_end_by_themselves(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(f"{API}/events", headers=world.auth("pa"))

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-store"
    assert response.text.startswith(": connected\n\n")
    assert _events(response.text) == []


async def test_the_stream_needs_a_signed_in_user(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/events")

    assert response.status_code == 401


async def test_an_administrator_has_no_stream_as_the_contract_says(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    response = await client.get(f"{API}/events", headers=world.auth("admin"))

    assert response.status_code == 404
    assert "404" in app.openapi()["paths"][f"{API}/events"]["get"]["responses"]


async def test_the_pa_sees_a_young_persons_new_message_live(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    stream = _open_stream(client, world, "pa")
    await _local_subscribed(app, world.org_id)

    sent = await _send(client, world, "Are you in today?")
    events = _events((await stream).text)

    assert sent.status_code == 201, sent.text
    assert events == [
        (
            "message",
            {
                "type": "message",
                "young_person_id": str(world.young_people["own"]),
                "message_id": sent.json()["message"]["id"],
            },
        )
    ]


async def test_an_event_carries_no_message_text(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    stream = _open_stream(client, world, "pa")
    await _local_subscribed(app, world.org_id)

    assert (await _send(client, world, "My secret words")).status_code == 201

    assert "My secret words" not in (await stream).text


async def test_a_colleague_on_duty_cover_in_the_team_sees_it_too(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    stream = _open_stream(client, world, "colleague_pa")
    await _local_subscribed(app, world.org_id)

    assert (await _send(client, world, "Hello")).status_code == 201

    assert [kind for kind, _ in _events((await stream).text)] == ["message"]


async def test_a_pa_of_another_team_does_not_see_it(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    stream = _open_stream(client, world, "south_pa")
    await _local_subscribed(app, world.org_id)

    assert (await _send(client, world, "Hello")).status_code == 201

    assert _events((await stream).text) == []


async def test_another_council_does_not_see_it(
    client: httpx.AsyncClient, app: FastAPI, world: World, session: AsyncSession
) -> None:
    other_council = await session.scalar(
        select(User.org_id).where(User.id == world.users["other_pa"])
    )
    assert other_council is not None
    stream = _open_stream(client, world, "other_pa")
    watcher = _open_stream(client, world, "pa")
    await _local_subscribed(app, other_council)
    await _local_subscribed(app, world.org_id)

    assert (await _send(client, world, "Hello")).status_code == 201

    assert _events((await stream).text) == []
    assert [kind for kind, _ in _events((await watcher).text)] == ["message"]


async def test_the_young_person_sees_their_pa_read_their_message(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    sent = await _send(client, world, "Did you get this?")
    assert sent.status_code == 201, sent.text
    message_id = sent.json()["message"]["id"]
    stream = _open_stream(client, world, "young_person")
    await _local_subscribed(app, world.org_id)

    read = await client.post(
        f"{API}/young-people/{world.young_people['own']}/messages/read",
        json={"up_to": message_id},
        headers=world.auth("pa"),
    )
    events = _events((await stream).text)

    assert read.status_code == 200, read.text
    assert events == [
        (
            "read",
            {
                "type": "read",
                "young_person_id": str(world.young_people["own"]),
                "by": "staff",
                "up_to": message_id,
            },
        )
    ]
    # Which member of staff read it is theirs to know, not the young person's phone's.
    assert str(world.users["pa"]) not in (await stream).text


async def test_a_refused_send_publishes_nothing(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    key = str(uuid.uuid4())
    assert (await _send(client, world, "First", key=key)).status_code == 201
    stream = _open_stream(client, world, "pa")
    await _local_subscribed(app, world.org_id)

    refused = await _send(client, world, "Second, same key", key=key)
    invalid = await _send(client, world, "   ")

    assert (refused.status_code, invalid.status_code) == (422, 422)
    assert _events((await stream).text) == []


async def test_a_replayed_send_publishes_nothing_new(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    key = str(uuid.uuid4())
    assert (await _send(client, world, "Once", key=key)).status_code == 201
    stream = _open_stream(client, world, "pa")
    await _local_subscribed(app, world.org_id)

    replay = await _send(client, world, "Once", key=key)

    assert replay.headers["Idempotent-Replayed"] == "true"
    assert _events((await stream).text) == []


async def test_a_stream_that_ended_leaves_no_subscriber_behind(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    response = await client.get(f"{API}/events", headers=world.auth("pa"))

    assert response.status_code == 200
    assert not app.state.broker._subscribers.get(world.org_id)


# --- across workers, through Redis ----------------------------------------------------------------


@pytest.fixture
async def two_workers(
    settings: Settings, engine: AsyncEngine
) -> AsyncIterator[tuple[FastAPI, FastAPI]]:
    """Two API workers on the test database that share events through Redis."""
    await require_redis()
    apps = []
    for _ in range(2):
        app = create_app(
            settings.model_copy(update={"redis_url": REDIS_URL, "events_stream_seconds": 1.0})
        )
        app.state.engine = engine
        app.state.sessionmaker = make_sessionmaker(engine)
        apps.append(app)
    yield apps[0], apps[1]
    for app in apps:
        await app.state.broker.close()
        await app.state.throttles.close()  # the send limit counted each send in Redis


async def _redis_subscribed(org_id: uuid.UUID) -> None:
    client = redis.from_url(REDIS_URL)
    try:
        for _ in range(200):
            [(_, count)] = await client.pubsub_numsub(f"portal:events:{org_id}")
            if count:
                return
            await asyncio.sleep(0.005)
    finally:
        await client.aclose()
    raise AssertionError("the event stream never subscribed in Redis")


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://portal.test")


async def test_through_redis_a_message_sent_on_one_worker_reaches_a_stream_on_another(
    two_workers: tuple[FastAPI, FastAPI], world: World
) -> None:
    first, second = two_workers
    async with _client(first) as on_first, _client(second) as on_second:
        stream = _open_stream(on_first, world, "pa")
        await _redis_subscribed(world.org_id)

        sent = await _send(on_second, world, "Sent through the other worker")
        events = _events((await stream).text)

    assert sent.status_code == 201, sent.text
    assert events == [
        (
            "message",
            {
                "type": "message",
                "young_person_id": str(world.young_people["own"]),
                "message_id": sent.json()["message"]["id"],
            },
        )
    ]


async def test_through_redis_a_pa_of_another_team_still_sees_nothing(
    two_workers: tuple[FastAPI, FastAPI], world: World
) -> None:
    first, second = two_workers
    async with _client(first) as on_first, _client(second) as on_second:
        stream = _open_stream(on_first, world, "south_pa")
        await _redis_subscribed(world.org_id)

        sent = await _send(on_second, world, "Not for the South team")
        text = (await stream).text

    assert sent.status_code == 201, sent.text
    assert _events(text) == []


# --- a stream ends with its session ---------------------------------------------------------------


@pytest.fixture
async def long_streams(settings: Settings, engine: AsyncEngine) -> FastAPI:
    """An API whose streams would stay open for a minute, checking their session often."""
    app = create_app(
        settings.model_copy(
            update={"events_stream_seconds": 60.0, "events_session_check_seconds": 0.05}
        )
    )
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    return app


async def test_signing_out_ends_the_event_stream_promptly(
    long_streams: FastAPI, world: World
) -> None:
    async with _client(long_streams) as client:
        stream = _open_stream(client, world, "pa")
        await _local_subscribed(long_streams, world.org_id)

        signed_out = await client.post(f"{API}/auth/logout", headers=world.auth("pa"))
        ended = await asyncio.wait_for(stream, timeout=5)
        sent = await _send(client, world, "After the PA signed out")

    assert signed_out.status_code == 204, signed_out.text
    assert sent.status_code == 201, sent.text
    assert ended.status_code == 200
    assert _events(ended.text) == []
    assert not long_streams.state.broker._subscribers.get(world.org_id)


async def test_disabling_the_account_ends_its_event_stream_promptly(
    long_streams: FastAPI, world: World
) -> None:
    async with _client(long_streams) as client:
        stream = _open_stream(client, world, "team_manager")
        await _local_subscribed(long_streams, world.org_id)

        disabled = await client.patch(
            f"{API}/staff/{world.users['team_manager']}",
            json={"is_active": False},
            headers=world.auth("admin"),
        )
        ended = await asyncio.wait_for(stream, timeout=5)

    assert disabled.status_code == 200, disabled.text
    assert _events(ended.text) == []


async def test_a_stream_whose_session_stands_stays_open(
    long_streams: FastAPI, world: World
) -> None:
    """The counterpart: with nobody signing out, the stream is still open after many checks."""
    async with _client(long_streams) as client:
        stream = _open_stream(client, world, "pa")
        await _local_subscribed(long_streams, world.org_id)
        await asyncio.sleep(0.5)

        still_open = not stream.done()
        stream.cancel()

    assert still_open
