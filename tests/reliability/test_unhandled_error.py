"""A bug is answered like any other error: problem+json, the security headers, no details.

The failing route exists only in this test's own app (built by ``create_app``), so the real app
gains no test-only path.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from portal_api.config import Settings
from portal_api.main import create_app
from portal_api.security import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY

SECRET_DETAIL = "a detail only the server log may hold"


class Bug(RuntimeError):
    pass


@pytest.fixture
async def buggy_app(settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(settings)

    @app.get("/api/v1/bug")
    async def raise_a_bug() -> None:
        raise Bug(SECRET_DETAIL)

    yield app
    await app.state.engine.dispose()


async def test_an_unhandled_exception_is_a_500_problem_with_the_security_headers(
    buggy_app: FastAPI,
) -> None:
    transport = httpx.ASGITransport(app=buggy_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
        response = await client.get("/api/v1/bug")

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 500
    assert body["instance"] == "/api/v1/bug"
    assert body["title"]
    assert body["detail"]
    assert SECRET_DETAIL not in response.text
    assert "Bug" not in response.text
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["permissions-policy"] == PERMISSIONS_POLICY


async def test_the_exception_still_reaches_the_server_to_be_logged(buggy_app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=buggy_app)  # raises what the app raised to the server
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
        with pytest.raises(Bug, match=SECRET_DETAIL):
            await client.get("/api/v1/bug")
