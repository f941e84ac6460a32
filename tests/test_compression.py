"""GET answers go gzipped to a phone that accepts it; writes, the auth routes, event streams and
already compressed files never are (portal_api/compression.py says why)."""

from __future__ import annotations

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from portal_api.compression import CompressedReads
from tests.factories import World

GZIP = {"Accept-Encoding": "gzip"}
PLAIN = {"Accept-Encoding": "identity"}
BODY = b'{"text": "' + b"a young person's plan " * 200 + b'"}'


def _answering(content_type: str) -> CompressedReads:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", content_type.encode()), (b"content-length", b"%d" % len(BODY))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": BODY})

    return CompressedReads(app)


async def _get(
    app: CompressedReads, method: str, path: str, headers: dict[str, str]
) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
        return await client.request(method, path, headers=headers)


async def test_a_young_persons_summary_comes_gzipped_and_reads_the_same(
    client: httpx.AsyncClient, world: World
) -> None:
    summary = "/api/v1/young-people/me/summary"
    zipped = await client.get(summary, headers={**world.auth("young_person"), **GZIP})
    plain = await client.get(summary, headers={**world.auth("young_person"), **PLAIN})
    assert zipped.status_code == plain.status_code == 200, zipped.text
    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) < len(plain.content)
    assert "content-encoding" not in plain.headers
    assert zipped.json() == plain.json()  # httpx undoes the gzip


@pytest.mark.parametrize(
    ("method", "path", "content_type", "compressed"),
    [
        ("GET", "/api/v1/young-people/me/plan", "application/json", True),
        ("GET", "/assets/app/app-1a2b3c.js", "text/javascript", True),
        ("POST", "/api/v1/young-people/me/messages", "application/json", False),
        ("PATCH", "/api/v1/users/me/preferences", "application/json", False),
        ("GET", "/api/v1/auth/cookie/session", "application/json", False),
        ("GET", "/api/v1/young-people/me/events", "text/event-stream", False),
        ("GET", "/api/v1/young-people/me/plan/versions/2/pdf", "application/pdf", False),
        ("GET", "/api/v1/young-people/me/export", "application/zip", False),
    ],
)
async def test_only_reads_outside_the_auth_routes_are_compressed(
    method: str, path: str, content_type: str, compressed: bool
) -> None:
    answer = await _get(_answering(content_type), method, path, GZIP)
    assert (answer.headers.get("content-encoding") == "gzip") is compressed
    assert answer.content == BODY


async def test_a_client_that_does_not_take_gzip_gets_the_answer_as_it_is() -> None:
    answer = await _get(_answering("application/json"), "GET", "/api/v1/local-offer", PLAIN)
    assert "content-encoding" not in answer.headers
    assert answer.content == BODY
