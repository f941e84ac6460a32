"""Helpers for the sign-in tests: calls as the PWA makes them, and codes as an app shows them."""

from __future__ import annotations

from typing import Any

import httpx
import pyotp
from fastapi import FastAPI

from tests.factories import PASSWORD

API = "/api/v1"
LOGIN = f"{API}/auth/login"
ME = f"{API}/users/me"
MFA = f"{API}/users/me/mfa"
ORGANISATION = f"{API}/organisation"


def client_at(app: FastAPI, address: str) -> httpx.AsyncClient:
    """A client whose requests come from ``address`` (as a proxy-aware server would see it)."""
    transport = httpx.ASGITransport(app=app, client=(address, 40_000))
    return httpx.AsyncClient(transport=transport, base_url="http://portal.test")


async def login(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD, otp: str | None = None
) -> httpx.Response:
    form = {"username": email, "password": password}
    if otp is not None:
        form["otp"] = otp
    return await client.post(LOGIN, data=form)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def without_instance(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "instance"}


class TotpClock:
    """The wall clock the portal checks codes against, pinned (see the ``totp_clock`` fixture),
    so a test never straddles a 30-second step by bad luck."""

    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def code(self, secret: str, steps: int = 0) -> str:
        """The code an app shows now (or ``steps`` of 30 seconds later, or earlier)."""
        return pyotp.TOTP(secret).at(self.now + 30 * steps)


async def enrol(client: httpx.AsyncClient, token: str, clock: TotpClock) -> str:
    """Set up two-step sign-in for the token's owner, as they would; returns the secret. Then the
    clock moves on a step, as it would before their next sign-in (each step's code works once)."""
    started = await client.post(MFA, headers=bearer(token))
    assert started.status_code == 201, started.text
    secret: str = started.json()["secret"]
    confirmed = await client.post(
        f"{MFA}/confirm", headers=bearer(token), json={"code": clock.code(secret)}
    )
    assert confirmed.status_code == 200, confirmed.text
    clock.advance(30)
    return secret
