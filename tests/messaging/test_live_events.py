"""Live events over GET /api/v1/events (server-sent events): new messages and read receipts reach
whoever may see the conversation and nobody else, only once committed; through Redis, an event
from one API worker reaches a stream held open by another. Each test waits for the events it
expects rather than for a timed stream to end, so a loaded machine makes it slower, never red."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, MutableMapping
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
    for _ in range(4000):  # up to 20 s: CI is loaded
        if app.state.broker._subscribers.get(org_id):
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the event stream never subscribed")


class _Stream:
    """One open event stream, read as it arrives. httpx's ASGI transport hands over a body only
    once the response has ended, so a test that waited for the end of a timed stream failed
    whenever a loaded machine took longer than the stream lasted. Driving the app straight through
    ASGI, a test waits for the event itself; to show that something did not arrive, it waits for a
    later event the stream must see after it (each subscriber's events keep their order)."""

    def __init__(self, app: FastAPI, world: World, who: str) -> None:
        self.text = ""
        self._changed = asyncio.Event()
        self._leave = asyncio.Event()
        self._ended = False
        headers = [(b"host", b"portal.test")] + [
            (name.lower().encode(), value.encode()) for name, value in world.auth(who).items()
        ]
        self._task = asyncio.create_task(self._run(app, headers))

    async def _run(self, app: FastAPI, headers: list[tuple[bytes, bytes]]) -> None:
        path = f"{API}/events"
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("portal.test", 80),
        }
        asked = False

        async def receive() -> dict[str, Any]:
            nonlocal asked
            if not asked:
                asked = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await self._leave.wait()
            return {"type": "http.disconnect"}

        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.body":
                self.text += message.get("body", b"").decode()
                self._changed.set()

        try:
            await app(scope, receive, send)
        finally:
            self._ended = True
            self._changed.set()

    def events(self) -> list[tuple[str, dict[str, Any]]]:
        complete = self.text[: self.text.rfind("\n\n") + 2]
        return _events(complete)

    async def wait_for(self, count: int) -> list[tuple[str, dict[str, Any]]]:
        """The stream's first ``count`` events, once they have arrived (generous: CI is loaded)."""
        async with asyncio.timeout(20):
            while len(self.events()) < count:
                if self._ended:
                    raise AssertionError(f"the stream ended after {self.events()}")
                self._changed.clear()
                await self._changed.wait()
        return self.events()[:count]

    async def close(self) -> str:
        self._leave.set()
        await asyncio.wait_for(self._task, timeout=20)
        return self.text


@contextlib.asynccontextmanager
async def _listening(app: FastAPI, world: World, who: str) -> AsyncIterator[_Stream]:
    stream = _Stream(app, world, who)
    try:
        yield stream
    finally:
        await stream.close()


def _open_stream(client: httpx.AsyncClient, world: World, who: str) -> asyncio.Task[httpx.Response]:
    """A timed stream read to its end (the tests of how a stream ends)."""
    return asyncio.create_task(client.get(f"{API}/events", headers=world.auth(who)))


async def _send(
    client: httpx.AsyncClient, world: World, body: str, *, key: str | None = None
) -> httpx.Response:
    return await client.post(
        f"{API}/young-people/me/messages",
        json={"body": body},
        headers=world.auth("young_person") | {"Idempotency-Key": key or str(uuid.uuid4())},
    )


async def _staff_send(
    client: httpx.AsyncClient, world: World, who: str, to: str, body: str
) -> httpx.Response:
    sent = await client.post(
        f"{API}/young-people/{world.young_people[to]}/messages",
        json={"body": body},
        headers=world.auth(who) | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert sent.status_code == 201, sent.text
    return sent


def _message_event(
    world: World, sent: httpx.Response, young_person: str = "own"
) -> tuple[str, Any]:
    return (
        "message",
        {
            "type": "message",
            "young_person_id": str(world.young_people[young_person]),
            "message_id": sent.json()["message"]["id"],
        },
    )


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://portal.test")


@pytest.fixture
def live(settings: Settings, engine: AsyncEngine) -> FastAPI:
    """An API whose streams stay open long enough for any test: each test waits for what it
    expects and then leaves."""
    app = create_app(settings.model_copy(update={"events_stream_seconds": 120.0}))
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    return app


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


async def test_the_pa_sees_each_new_message_from_a_young_person_live_once(
    live: FastAPI, world: World
) -> None:
    async with _client(live) as client, _listening(live, world, "pa") as stream:
        await _local_subscribed(live, world.org_id)
        first = await _send(client, world, "Are you in today?")
        second = await _send(client, world, "I can come at 2")
        events = await stream.wait_for(2)

    assert (first.status_code, second.status_code) == (201, 201), first.text + second.text
    assert events == [_message_event(world, first), _message_event(world, second)]


async def test_an_event_carries_no_message_text(live: FastAPI, world: World) -> None:
    async with _client(live) as client, _listening(live, world, "pa") as stream:
        await _local_subscribed(live, world.org_id)
        assert (await _send(client, world, "My secret words")).status_code == 201
        await stream.wait_for(1)

    assert "My secret words" not in stream.text


async def test_a_colleague_on_duty_cover_in_the_team_sees_it_too(
    live: FastAPI, world: World
) -> None:
    async with _client(live) as client, _listening(live, world, "colleague_pa") as stream:
        await _local_subscribed(live, world.org_id)
        sent = await _send(client, world, "Hello")
        events = await stream.wait_for(1)

    assert events == [_message_event(world, sent)]


async def test_a_pa_of_another_team_does_not_see_it(live: FastAPI, world: World) -> None:
    async with _client(live) as client, _listening(live, world, "south_pa") as stream:
        await _local_subscribed(live, world.org_id)
        assert (await _send(client, world, "Hello")).status_code == 201
        # Then something the South PA may see: it must be the first event their stream shows.
        own = await _staff_send(client, world, "south_pa", "other_team", "Hi, it's your PA")
        events = await stream.wait_for(1)

    assert events == [_message_event(world, own, "other_team")]
    assert len(stream.events()) == 1


async def test_another_council_does_not_see_it(
    live: FastAPI, world: World, session: AsyncSession
) -> None:
    other_council = await session.scalar(
        select(User.org_id).where(User.id == world.users["other_pa"])
    )
    assert other_council is not None
    async with (
        _client(live) as client,
        _listening(live, world, "other_pa") as stream,
        _listening(live, world, "pa") as watcher,
    ):
        await _local_subscribed(live, other_council)
        await _local_subscribed(live, world.org_id)
        sent = await _send(client, world, "Hello")
        assert await watcher.wait_for(1) == [_message_event(world, sent)]
        own = await _staff_send(client, world, "other_pa", "other_org", "Hi from West")
        events = await stream.wait_for(1)

    assert events == [_message_event(world, own, "other_org")]
    assert len(stream.events()) == 1


async def test_the_young_person_sees_their_pa_read_their_message(
    live: FastAPI, world: World
) -> None:
    async with _client(live) as client:
        sent = await _send(client, world, "Did you get this?")
        assert sent.status_code == 201, sent.text
        message_id = sent.json()["message"]["id"]
        async with _listening(live, world, "young_person") as stream:
            await _local_subscribed(live, world.org_id)
            read = await client.post(
                f"{API}/young-people/{world.young_people['own']}/messages/read",
                json={"up_to": message_id},
                headers=world.auth("pa"),
            )
            events = await stream.wait_for(1)

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
    assert str(world.users["pa"]) not in stream.text


async def test_a_refused_send_publishes_nothing(live: FastAPI, world: World) -> None:
    key = str(uuid.uuid4())
    async with _client(live) as client:
        assert (await _send(client, world, "First", key=key)).status_code == 201
        async with _listening(live, world, "pa") as stream:
            await _local_subscribed(live, world.org_id)
            refused = await _send(client, world, "Second, same key", key=key)
            invalid = await _send(client, world, "   ")
            later = await _send(client, world, "Third")
            events = await stream.wait_for(1)

    assert (refused.status_code, invalid.status_code) == (422, 422)
    assert events == [_message_event(world, later)]


async def test_a_replayed_send_publishes_nothing_new(live: FastAPI, world: World) -> None:
    key = str(uuid.uuid4())
    async with _client(live) as client:
        assert (await _send(client, world, "Once", key=key)).status_code == 201
        async with _listening(live, world, "pa") as stream:
            await _local_subscribed(live, world.org_id)
            replay = await _send(client, world, "Once", key=key)
            later = await _send(client, world, "And again, new")
            events = await stream.wait_for(1)

    assert replay.headers["Idempotent-Replayed"] == "true"
    assert events == [_message_event(world, later)]


async def test_a_stream_that_ended_leaves_no_subscriber_behind(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    response = await client.get(f"{API}/events", headers=world.auth("pa"))

    assert response.status_code == 200
    assert not app.state.broker._subscribers.get(world.org_id)


async def test_a_stream_the_phone_left_leaves_no_subscriber_behind(
    live: FastAPI, world: World
) -> None:
    async with _listening(live, world, "pa"):
        await _local_subscribed(live, world.org_id)

    assert not live.state.broker._subscribers.get(world.org_id)


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
            settings.model_copy(update={"redis_url": REDIS_URL, "events_stream_seconds": 120.0})
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
        for _ in range(4000):  # up to 20 s: CI is loaded
            [(_, count)] = await client.pubsub_numsub(f"portal:events:{org_id}")
            if count:
                return
            await asyncio.sleep(0.005)
    finally:
        await client.aclose()
    raise AssertionError("the event stream never subscribed in Redis")


async def test_through_redis_a_message_sent_on_one_worker_reaches_a_stream_on_another(
    two_workers: tuple[FastAPI, FastAPI], world: World
) -> None:
    first, second = two_workers
    async with _client(second) as on_second, _listening(first, world, "pa") as stream:
        await _redis_subscribed(world.org_id)
        sent = await _send(on_second, world, "Sent through the other worker")
        events = await stream.wait_for(1)

    assert sent.status_code == 201, sent.text
    assert events == [_message_event(world, sent)]


async def test_through_redis_a_pa_of_another_team_still_sees_nothing(
    two_workers: tuple[FastAPI, FastAPI], world: World
) -> None:
    first, second = two_workers
    async with _client(second) as on_second, _listening(first, world, "south_pa") as stream:
        await _redis_subscribed(world.org_id)
        sent = await _send(on_second, world, "Not for the South team")
        own = await _staff_send(on_second, world, "south_pa", "other_team", "Hi, it's your PA")
        events = await stream.wait_for(1)

    assert sent.status_code == 201, sent.text
    assert events == [_message_event(world, own, "other_team")]


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
        ended = await asyncio.wait_for(stream, timeout=20)
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
        ended = await asyncio.wait_for(stream, timeout=20)

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
