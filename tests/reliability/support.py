"""The real server in a subprocess, on a database of its own.

Tests here start ``portal serve`` (the command a council runs), signal it and restart it, so they
cannot share the suite's in-process app or its database: :func:`scratch_database` makes a fresh,
migrated SQLite file, or a fresh PostgreSQL database next to the one PORTAL_TEST_DATABASE_URL
names (dropped afterwards), and :func:`seed` puts one young person with an account in it.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

from portal_api.db.migrations import alembic_config
from portal_api.db.session import make_engine, make_sessionmaker
from portal_api.models import Role
from tests.factories import PASSWORD, make_org, make_team, make_user, make_young_person

# Generous: a busy two-core machine may take several seconds to import the app.
START_TIMEOUT = 60.0
PORTAL = Path(sys.executable).with_name("portal")


def backends() -> list[str]:
    """SQLite always; PostgreSQL too when the suite is pointed at it."""
    url = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
    return ["sqlite", "postgresql"] if url.startswith("postgresql") else ["sqlite"]


def default_backend() -> str:
    return backends()[-1]


async def _postgres_admin(url: str, statement: str) -> None:
    engine = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def _migrate(url: str) -> None:
    from alembic import command

    # Alembic's env runs its own event loop, so it gets a thread without one.
    await asyncio.to_thread(command.upgrade, alembic_config(url), "head")


@asynccontextmanager
async def scratch_database(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """A freshly migrated database of ``backend``, removed afterwards; yields its URL."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'server.sqlite3'}"
        await _migrate(url)
        yield url
        return
    admin_url = os.environ["PORTAL_TEST_DATABASE_URL"]
    name = f"portal_reliability_{secrets.token_hex(4)}"
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    await _postgres_admin(admin_url, f'CREATE DATABASE "{name}"')
    try:
        await _migrate(url)
        yield url
    finally:
        await _postgres_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass(frozen=True)
class Seeded:
    email: str
    password: str
    young_person_id: uuid.UUID
    young_person_user_id: uuid.UUID
    adviser_id: uuid.UUID


async def seed(url: str, email: str = "amira@example.org") -> Seeded:
    """One council, one PA, one young person with an account (password: factories.PASSWORD)."""
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            org = await make_org(session, "eastmarsh")
            team = await make_team(session, org, "North")
            adviser = await make_user(session, org, Role.personal_adviser, teams=(team,))
            person = await make_young_person(session, org, team, adviser, given_name="Amira")
            user = await make_user(
                session, org, Role.young_person, young_person=person, email=email
            )
            return Seeded(email, PASSWORD, person.id, user.id, adviser.id)
    finally:
        await engine.dispose()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PortalServer:
    """``portal serve`` on a loopback port, its output appended to ``log_path``."""

    def __init__(self, database_url: str, log_path: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")},
            "PORTAL_ENVIRONMENT": "test",
            "PORTAL_DATABASE_URL": database_url,
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        if self._log is None:
            self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603  (a fixed command line)
            [str(PORTAL), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    async def wait_ready(self, within: float = START_TIMEOUT) -> None:
        """Until /readyz says 200; fails with the server's log if it exits or never gets there."""
        deadline = time.monotonic() + within
        async with httpx.AsyncClient(base_url=self.url, timeout=2.0) as client:
            while time.monotonic() < deadline:
                assert self.process is not None
                if self.process.poll() is not None:
                    raise AssertionError(f"the server exited early:\n{self.log_tail()}")
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError(f"the server was not ready within {within} s:\n{self.log_tail()}")

    def send_signal(self, sig: signal.Signals) -> None:
        assert self.process is not None
        self.process.send_signal(sig)

    def kill(self) -> int:
        """SIGKILL: no shutdown, no lifespan, nothing flushed."""
        assert self.process is not None
        self.process.kill()
        return self.process.wait(timeout=30)

    def wait(self, timeout: float) -> int:
        assert self.process is not None
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        """Cleanup after a test: whatever state it is in, it is gone afterwards."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        if self._log is not None:
            self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_tail(self) -> str:
        return self.log()[-6000:]


async def sign_in(client: httpx.AsyncClient, seeded: Seeded) -> dict[str, str]:
    """Bearer headers for the seeded young person, signed in through the API."""
    response = await client.post(
        "/api/v1/auth/login", data={"username": seeded.email, "password": seeded.password}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
