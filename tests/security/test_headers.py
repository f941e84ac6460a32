"""Security headers on every response (errors too), the request body limit, the CORS
allow-list, and no API explorer in production."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from portal_api.config import Settings
from portal_api.db.session import make_sessionmaker
from portal_api.main import create_app
from portal_api.security import (
    CONTENT_SECURITY_POLICY,
    PERMISSIONS_POLICY,
    STRICT_TRANSPORT_SECURITY,
)
from tests.factories import World

API = "/api/v1"
PWA_ORIGIN = "https://portal.eastmarsh.example"
REAL_SECRET = "a-real-secret-for-this-test-only-" + "x" * 32


def _assert_security_headers(response: httpx.Response, *, csp: bool = True) -> None:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    assert headers["permissions-policy"] == PERMISSIONS_POLICY
    assert "geolocation=()" in headers["permissions-policy"]
    if csp:
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "frame-ancestors 'none'" in headers["content-security-policy"]


@asynccontextmanager
async def _app_client(
    settings: Settings, engine: AsyncEngine, **changes: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """A client for an app built from these settings, on the test database."""
    app: FastAPI = create_app(settings.model_copy(update=changes))
    await app.state.engine.dispose()
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
        yield client


async def test_api_response_has_security_headers(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get(f"{API}/users/me", headers=world.auth("young_person"))
    assert response.status_code == 200
    _assert_security_headers(response)
    # Only production is behind real TLS; a dev browser must not be told to insist on HTTPS.
    assert "strict-transport-security" not in response.headers


async def test_problem_json_error_has_security_headers(client: httpx.AsyncClient) -> None:
    for response in (
        await client.get(f"{API}/users/me"),  # 401 from the auth dependency
        await client.get(f"{API}/no-such-thing"),  # 404 from the router
        await client.post(f"{API}/invites/accept", json={"token": 1}),  # 422
    ):
        assert response.headers["content-type"] == "application/problem+json"
        _assert_security_headers(response)


async def test_production_adds_hsts_and_has_no_api_explorer(
    settings: Settings, engine: AsyncEngine
) -> None:
    async with _app_client(
        settings, engine, environment="production", secret_key=REAL_SECRET
    ) as client:
        docs = await client.get("/docs")
        assert docs.status_code == 404
        _assert_security_headers(docs)
        assert docs.headers["strict-transport-security"] == STRICT_TRANSPORT_SECURITY
        health = await client.get("/healthz")
        assert health.headers["strict-transport-security"] == STRICT_TRANSPORT_SECURITY
        # The contract stays published: clients are generated from it.
        assert (await client.get("/openapi.json")).status_code == 200


async def test_api_explorer_outside_production_is_served_without_the_csp(
    client: httpx.AsyncClient,
) -> None:
    # Swagger UI loads its script from a CDN, which the portal's policy would block.
    docs = await client.get("/docs")
    assert docs.status_code == 200
    assert "content-security-policy" not in docs.headers
    _assert_security_headers(docs, csp=False)
    assert "content-security-policy" in (await client.get("/openapi.json")).headers


async def test_declared_body_over_the_limit_is_refused_before_reading(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    body = b"{" + b" " * settings.max_body_bytes + b"}"
    response = await client.post(
        f"{API}/invites/accept", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 413
    assert problem["title"] == "Content too large"
    assert problem["instance"] == f"{API}/invites/accept"
    _assert_security_headers(response)


async def _stream(size: int, chunk: int = 256) -> AsyncIterator[bytes]:
    sent = 0
    while sent < size:
        piece = min(chunk, size - sent)
        sent += piece
        yield b" " * piece


async def test_streamed_body_is_counted_and_refused_past_the_limit(
    settings: Settings, engine: AsyncEngine
) -> None:
    async with _app_client(settings, engine, max_body_bytes=2048) as client:
        # No Content-Length: the body arrives in chunks and is counted as it comes.
        response = await client.post(
            f"{API}/invites/accept",
            content=_stream(10_000),
            headers={"Content-Type": "application/json"},
        )
        assert "content-length" not in response.request.headers
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"
        _assert_security_headers(response)
        # Under the limit the same kind of request reaches the route (which finds no invite).
        small = await client.post(
            f"{API}/invites/accept",
            content=_json_stream(),
            headers={"Content-Type": "application/json"},
        )
        assert small.status_code == 404


async def _json_stream() -> AsyncIterator[bytes]:
    yield b'{"token": "no-such-invite-token",'
    yield b' "password": "long enough password"}'


async def test_no_cors_headers_when_no_origin_is_allowed(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz", headers={"Origin": PWA_ORIGIN})
    assert "access-control-allow-origin" not in response.headers
    preflight = await client.options(
        f"{API}/users/me",
        headers={"Origin": PWA_ORIGIN, "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in preflight.headers


@pytest.mark.parametrize(
    ("origin", "allowed"), [(PWA_ORIGIN, True), ("https://elsewhere.example", False)]
)
async def test_cors_allows_only_configured_origins(
    settings: Settings, engine: AsyncEngine, world: World, origin: str, allowed: bool
) -> None:
    async with _app_client(settings, engine, cors_origins=[PWA_ORIGIN]) as client:
        preflight = await client.options(
            f"{API}/young-people/me/messages",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "Authorization, Content-Type, Idempotency-Key",
            },
        )
        response = await client.get(
            f"{API}/users/me", headers={"Origin": origin, **world.auth("young_person")}
        )
    assert response.status_code == 200
    _assert_security_headers(preflight)
    if allowed:
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == origin
        assert "idempotency-key" in preflight.headers["access-control-allow-headers"].lower()
        assert response.headers["access-control-allow-origin"] == origin
        assert "etag" in response.headers["access-control-expose-headers"].lower()
        # Bearer tokens, not cookies: browsers are never told to send credentials across.
        assert "access-control-allow-credentials" not in response.headers
    else:
        assert preflight.status_code == 400
        assert "access-control-allow-origin" not in preflight.headers
        assert "access-control-allow-origin" not in response.headers
