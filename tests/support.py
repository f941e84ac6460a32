"""Test helpers shared across domains: a local Redis when the test needs one, and a loopback
HTTP server that records what anyone asked it for (to prove something fetched nothing)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import redis.asyncio as redis
from redis.exceptions import RedisError

REDIS_URL = "redis://127.0.0.1:6379/0"


async def require_redis() -> None:
    """A developer without Redis may skip the cross-worker tests; CI starts Redis (.ci/run), so
    there a missing Redis is a failure, never a silent skip."""
    client = redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        await client.ping()
    except (RedisError, OSError):
        if os.environ.get("CI"):
            pytest.fail("CI must run the Redis tests, but nothing answers at 127.0.0.1:6379")
        pytest.skip("no Redis at 127.0.0.1:6379 (start one to run the cross-worker tests)")
    finally:
        await client.aclose()


class _Recorder(BaseHTTPRequestHandler):
    seen: list[str]

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { background: red }")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def recording_server() -> Iterator[tuple[str, list[str]]]:
    """``http://127.0.0.1:<port>`` on a free port, and the list of paths anyone asked it for."""
    seen: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (_Recorder,), {"seen": seen}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
