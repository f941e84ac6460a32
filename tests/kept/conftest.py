"""An API worker that keeps reads and rows (``PORTAL_KEPT_READS``), for the tests beside this
file: in process, or two of them sharing Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from portal_api.config import Settings
from portal_api.db.session import make_sessionmaker
from portal_api.main import create_app
from portal_api.models import AccessToken
from tests.factories import World, build_world
from tests.support import REDIS_URL, require_redis


def kept_app(settings: Settings, engine: AsyncEngine, **changes: Any) -> FastAPI:
    app = create_app(settings.model_copy(update={"kept_reads": True, **changes}))
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(
        engine, app.state.figures_version, app.state.reads_version
    )
    return app


def client_of(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://portal.test")


async def last_use_written_in_the_last_minute_ahead(app: FastAPI, world: World) -> None:
    """The young person's session's last use was written by a request whose clock was moved a
    minute ahead (the idle-time touch fell due): kept or not, it is still written."""
    async with app.state.sessionmaker() as session:
        last_used = await session.scalar(
            select(AccessToken.last_used_at).where(
                AccessToken.user_id == world.users["young_person"]
            )
        )
    assert last_used is not None
    assert last_used.replace(tzinfo=UTC) > datetime.now(UTC) + timedelta(seconds=30)


@pytest.fixture
async def kept(settings: Settings, engine: AsyncEngine) -> FastAPI:
    """One worker that keeps reads in process (no Redis)."""
    return kept_app(settings, engine)


@pytest.fixture
async def world_of(kept: FastAPI) -> World:
    async with kept.state.sessionmaker() as session, session.begin():
        return await build_world(session)


@pytest.fixture
async def phone(kept: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(kept) as client:
        yield client


@pytest.fixture
async def two_workers(
    settings: Settings, engine: AsyncEngine
) -> AsyncIterator[tuple[FastAPI, FastAPI]]:
    """Two workers on the test database that share their versions (and limits) through Redis."""
    await require_redis()
    apps = [kept_app(settings, engine, redis_url=REDIS_URL) for _ in range(2)]
    yield apps[0], apps[1]
    for app in apps:
        await app.state.reads_version.close()
        await app.state.figures_version.close()
        await app.state.throttles.close()
        await app.state.send_limit.store.close()
        await app.state.broker.close()
