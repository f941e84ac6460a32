"""SIGTERM drains before it stops: /readyz fails first, requests in flight are finished.

The real server (``portal serve``) runs in a subprocess with a short drain
(PORTAL_DRAIN_SECONDS); a live-event stream is a request still in flight when the server is told
to stop, served through the drain and then ended cleanly, well before its own length
(PORTAL_EVENTS_STREAM_SECONDS).
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from portal_api.security import CONTENT_SECURITY_POLICY
from tests.reliability.support import (
    PortalServer,
    default_backend,
    scratch_database,
    seed,
    sign_in,
)

DRAIN_SECONDS = 3.0
STREAM_SECONDS = 10.0


async def _poll(check: Callable[[], Awaitable[bool]], what: str, within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{what}: not within {within} s")


async def test_sigterm_fails_readiness_then_finishes_the_request_in_flight(tmp_path: Path) -> None:
    async with scratch_database(default_backend(), tmp_path) as database_url:
        seeded = await seed(database_url)
        server = PortalServer(
            database_url,
            tmp_path / "server.log",
            PORTAL_DRAIN_SECONDS=str(DRAIN_SECONDS),
            PORTAL_EVENTS_STREAM_SECONDS=str(STREAM_SECONDS),
        )
        try:
            server.start()
            await server.wait_ready()
            probe = httpx.AsyncClient(base_url=server.url, timeout=5.0)
            phone = httpx.AsyncClient(base_url=server.url, timeout=30.0)
            async with probe, phone:
                headers = await sign_in(probe, seeded)
                async with phone.stream("GET", "/api/v1/events", headers=headers) as stream:
                    assert stream.status_code == 200
                    chunks = stream.aiter_text()
                    assert (await anext(chunks)).startswith(": connected")
                    opened = time.monotonic()

                    server.send_signal(signal.SIGTERM)
                    signalled = time.monotonic()

                    # Readiness fails at once, as problem+json with the usual headers...
                    readiness: list[httpx.Response] = []

                    async def readyz_fails() -> bool:
                        readiness.append(await probe.get("/readyz"))
                        return readiness[-1].status_code == 503

                    await _poll(readyz_fails, "/readyz answering 503")
                    draining = readiness[-1]
                    assert draining.headers["content-type"] == "application/problem+json"
                    assert draining.json()["status"] == 503
                    assert draining.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
                    # ...while the server still does its work: liveness and real requests.
                    assert (await probe.get("/healthz")).status_code == 200
                    me = await probe.get("/api/v1/users/me", headers=headers)
                    assert me.status_code == 200, me.text

                    # After the drain the listener closes: new connections are refused...
                    async def refused() -> bool:
                        try:
                            async with httpx.AsyncClient(base_url=server.url) as fresh:
                                await fresh.get("/healthz")
                        except httpx.ConnectError:
                            return True
                        except (httpx.RemoteProtocolError, httpx.ReadError):
                            # A connection the kernel queued just as the listener closed is
                            # dropped unanswered or reset (both seen in CI on a loaded machine):
                            # closing too, but only after the drain; a request dropped during
                            # it is a fault.
                            if time.monotonic() - signalled < DRAIN_SECONDS - 0.5:
                                raise
                            return True
                        return False

                    await _poll(refused, "the listener closing after the drain")
                    # ...and the stream opened before SIGTERM, still in flight through the drain,
                    # is ended cleanly by the server (the app reconnects to another one) rather
                    # than holding the shutdown up for its full length.
                    rest = "".join([chunk async for chunk in chunks])
                    ended = time.monotonic()
            assert "error" not in rest
            assert ended - opened >= DRAIN_SECONDS - 0.5
            assert ended - opened < STREAM_SECONDS
            # Then the process exits by itself (uvicorn re-raises the SIGTERM it handled).
            assert server.wait(timeout=30) in (0, -signal.SIGTERM)
        finally:
            server.stop()
        log = server.log()
        assert "/readyz answers 503" in log
        assert "Finished server process" in log
        # The server's own log (uvicorn's access log included) holds no credential.
        assert "GET /api/v1/users/me" in log
        assert seeded.password not in log
        assert headers["Authorization"].removeprefix("Bearer ") not in log
