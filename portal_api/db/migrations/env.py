"""Alembic environment: async engine, URL from the portal's settings, batch mode for SQLite."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from alembic import context
from sqlalchemy.engine import Connection

import portal_api.models  # noqa: F401  (registers every table on Base.metadata)
from portal_api.config import get_settings
from portal_api.db.base import AwareDateTime, Base
from portal_api.db.session import make_engine

target_metadata = Base.metadata


def _url() -> str:
    url = context.config.attributes.get("database_url")
    return str(url) if url else get_settings().database_url


def _render_item(kind: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    # Migrations must not import the app: our aware-datetime wrapper is a plain timestamptz there.
    if kind == "type" and isinstance(obj, AwareDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = make_engine(_url())
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:
        asyncio.run(_run_async())


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run()
