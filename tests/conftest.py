"""Test wiring: one migrated database per run (SQLite by default, PostgreSQL when
PORTAL_TEST_DATABASE_URL is set), emptied after every test so no test depends on another."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from portal_api.config import Settings
from portal_api.db.base import Base
from portal_api.db.migrations import alembic_config
from portal_api.db.session import make_engine, make_sessionmaker
from portal_api.main import create_app
from tests.factories import World, build_world


def _database_url(tmp: Path) -> str:
    return (
        os.environ.get("PORTAL_TEST_DATABASE_URL") or f"sqlite+aiosqlite:///{tmp / 'test.sqlite3'}"
    )


async def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Migrated once per run through Alembic, so the migrations are what the tests run against."""
    from alembic import command

    url = _database_url(tmp_path_factory.mktemp("db"))
    if url.startswith("postgresql"):
        asyncio.run(_reset_postgres(url))
    command.upgrade(alembic_config(url), "head")
    return url


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    # Event streams end quickly in tests (httpx's ASGI transport reads a response to its end).
    # The world has two councils: the app (branding, manifest) is the first one's.
    return Settings(
        environment="test",
        database_url=database_url,
        events_stream_seconds=0.3,
        default_org="eastmarsh",
    )


@pytest.fixture(scope="session")
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(settings.database_url)
    yield engine
    await engine.dispose()


async def _empty_every_table(engine: AsyncEngine) -> None:
    tables = [t.name for t in Base.metadata.sorted_tables]
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            quoted = ", ".join(f'"{t}"' for t in tables)
            await conn.execute(text(f"TRUNCATE {quoted} CASCADE"))
        else:
            await conn.execute(text("PRAGMA foreign_keys=OFF"))
            for table in reversed(tables):
                await conn.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608 - our own table names
            await conn.execute(text("PRAGMA foreign_keys=ON"))


@pytest.fixture(autouse=True)
async def _isolated(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    yield
    if "engine" in request.fixturenames:
        await _empty_every_table(request.getfixturevalue("engine"))
    if "app" in request.fixturenames:
        request.getfixturevalue("app").state.figures_cache.clear()


@pytest.fixture
def sessionmaker(engine: AsyncEngine, app: object) -> async_sessionmaker[AsyncSession]:
    # The app's figures version and kept reads' versions: a test's own writes bump them as the
    # API's do (db/changes.py, db/reads_version.py).
    state = app.state  # type: ignore[attr-defined]
    return make_sessionmaker(engine, state.figures_version, state.reads_version)


@pytest.fixture
async def session(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessionmaker() as session:
        yield session


@pytest.fixture(scope="session")
def app(settings: Settings, engine: AsyncEngine) -> object:
    application = create_app(settings)
    application.state.engine = engine
    application.state.sessionmaker = make_sessionmaker(
        engine, application.state.figures_version, application.state.reads_version
    )
    return application


@pytest.fixture
async def client(app: object, engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type,unused-ignore]
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
        yield client


@pytest.fixture
async def world(sessionmaker: async_sessionmaker[AsyncSession]) -> World:
    async with sessionmaker() as session, session.begin():
        return await build_world(session)
